import type { ZodOpenApiPathsObject } from 'zod-openapi';

/** The /api/v1 operations of this domain, built from the same zod schemas the routes parse. */
export const paths: ZodOpenApiPathsObject = {};
