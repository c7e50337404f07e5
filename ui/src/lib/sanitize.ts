// The one allow-list for Markdown rendered in the window (note previews). A note's
// body can come from someone else's file (a REFI-QDA project, a merged notebook),
// so the rendered HTML keeps structure only: no styles, forms, inputs, media,
// frames or event handlers, and links only as in-app [[links]] (href="#").
export const NOTE_PREVIEW_POLICY = {
  ALLOWED_TAGS: ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 's', 'code', 'pre',
    'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  ALLOWED_ATTR: ['href', 'data-link-kind', 'data-link-id'],
  ALLOWED_URI_REGEXP: /^#$/,
  // Our two data attributes hold plain values, not addresses: checked by name only.
  ADD_URI_SAFE_ATTR: ['data-link-kind', 'data-link-id'],
  ALLOW_DATA_ATTR: false,
  KEEP_CONTENT: true,
};

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
