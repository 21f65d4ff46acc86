// Loaded before Prism: stop it from auto-highlighting the page; the response
// panel highlights on demand. An external file (not inline) so a strict CSP allows it.
window.Prism = window.Prism || {};
window.Prism.manual = true;
