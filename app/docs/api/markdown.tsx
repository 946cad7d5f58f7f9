import ReactMarkdown, { type Components } from 'react-markdown';

// Descriptions in the OpenAPI document are CommonMark (OpenAPI 3.1 §4.8.1). react-markdown turns
// them into React elements: raw HTML in a description is not rendered (no rehype-raw), and
// link targets pass its default urlTransform, which drops javascript: and other unsafe schemes.
const components: Components = {
  p: ({ children }) => <p className="mt-1 first:mt-0">{children}</p>,
  code: ({ children }) => (
    <code className="rounded bg-gray-100 px-1 py-0.5 font-mono text-[0.85em] text-gray-900">{children}</code>
  ),
  a: ({ children, href }) => (
    <a href={href} className="text-brand-700 hover:underline">
      {children}
    </a>
  ),
  ul: ({ children }) => <ul className="mt-1 ml-5 list-disc space-y-0.5">{children}</ul>,
  ol: ({ children }) => <ol className="mt-1 ml-5 list-decimal space-y-0.5">{children}</ol>,
  strong: ({ children }) => <strong className="font-semibold">{children}</strong>,
};

const inlineComponents: Components = { ...components, p: ({ children }) => <>{children}</> };
const ALLOWED = ['p', 'code', 'a', 'ul', 'ol', 'li', 'strong', 'em'];

/** Markdown renders one OpenAPI description; `inline` for a phrase inside a line (a table cell, a list item). */
export function Markdown({ text, className, inline }: { text: string; className?: string; inline?: boolean }) {
  const Wrapper = inline ? 'span' : 'div';
  return (
    <Wrapper className={`break-words ${className ?? ''}`}>
      <ReactMarkdown
        components={inline ? inlineComponents : components}
        allowedElements={inline ? ALLOWED.filter((e) => e !== 'ul' && e !== 'ol' && e !== 'li') : ALLOWED}
        unwrapDisallowed
      >
        {text}
      </ReactMarkdown>
    </Wrapper>
  );
}
