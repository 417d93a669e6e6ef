import { convert, type HtmlToTextOptions } from "html-to-text";

/**
 * Front's `body` is HTML; SMS needs the text an agent sees. Used only when `text` is absent.
 * html-to-text parses in one pass with htmlparser2 and decodes entities as the HTML standard says
 * (an invalid code point becomes U+FFFD); its limits stop deep nesting from recursing out of stack.
 */
export function htmlToText(html: string): string {
  return convert(html, HTML_TO_TEXT)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const plainHeading = { options: { uppercase: false } };
const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  limits: { maxDepth: 40, maxChildNodes: 10_000, maxInputLength: 2 * 1024 * 1024 },
  selectors: [
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    { selector: "img", format: "skip" },
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, ...plainHeading })),
  ],
};

/**
 * Customer text as HTML: Front would otherwise render `*`, `_` and `#` in an SMS as Markdown.
 */
export function textToHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r?\n/g, "<br>");
}

/** Phone numbers in logs: enough to recognise, not the whole number. */
export function shortNumber(value: string): string {
  return /^\+\d{8,}$/.test(value) ? `${value.slice(0, 5)}…${value.slice(-2)}` : value;
}
