/** Links in operator docs: relative ones resolved into the ONNX docs, only http(s) kept. Pure (unit tested). */

/** Where the schemas' relative links ("Broadcasting.md", "IR.md#…") live. */
export const ONNX_DOCS_BASE = 'https://github.com/onnx/onnx/blob/main/docs/';

/** A link as it may appear in the page: absolute http(s), or null. */
export function resolveDocLink(href: string): string | null {
  try {
    const url = new URL(href, ONNX_DOCS_BASE);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
