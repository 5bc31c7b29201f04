// Starts Swagger UI on the API docs page (server/openapi/openapi.routes.ts). A file, not an
// inline script, so the page keeps a Content-Security-Policy without 'unsafe-inline'.
const root = document.getElementById('swagger-ui');
if (root && typeof window.SwaggerUIBundle === 'function') {
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    // The page's own origin only: no calls to a validator service elsewhere.
    validatorUrl: null,
  });
}
