import 'server-only';
import { gebetaAuth, gebetaRefresh } from './gebeta/flow';
import { highMobilityAuthToken } from './high-mobility/flow';
import { restApiUserAccount } from './restapi/flow';
import { unityTokenExchange } from './unity/flow';

/**
 * The vendor flows by method and path, as app/compat/** mounts them, for the production server's
 * fast path (lib/oauth/node-mount.ts): there every token-service route is served by one copy of
 * lib/, so that no route runs the token service in Next's copy (lib/process-state.ts).
 * node-mount.test.ts checks that every app/compat route is listed here.
 */
export const COMPAT_ROUTES: Record<string, (request: Request) => Promise<Response>> = {
  'POST /compat/gebeta/api/v1/external/auth': gebetaAuth,
  'POST /compat/gebeta/api/v1/external/refresh': gebetaRefresh,
  'POST /compat/high-mobility/v1/auth_tokens': highMobilityAuthToken,
  'POST /compat/restapi/System/UserAccount': restApiUserAccount,
  'POST /compat/unity/v1/token-exchange': unityTokenExchange,
};
