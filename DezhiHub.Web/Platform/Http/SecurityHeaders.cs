using System.Security.Cryptography;

namespace DezhiHub.Web.Platform.Http;

/// <summary>
/// Headers every response carries — pages, static files, CSV/XLSX/ICS downloads, errors:
/// a Content-Security-Policy that Blazor Server, MudBlazor and the vendored barcode WebAssembly work with (scripts from
/// this site only, plus the one inline import map by a per-request nonce, and WebAssembly compilation for the card
/// scanner), nosniff, a same-origin referrer policy, and the camera for this site alone.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "dezhihub.csp-nonce";

    /// <summary>The nonce of this request's inline import map (App.razor puts it on &lt;ImportMap /&gt;).</summary>
    public static string Nonce(HttpContext context)
    {
        if (context.Items[NonceKey] is not string nonce)
        {
            // base64url: the CSP grammar allows it, and it needs no HTML escaping in the attribute.
            nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; " +
                // 'wasm-unsafe-eval' lets the card scanner compile its ZXing WebAssembly; it allows no JavaScript eval.
                $"script-src 'self' 'nonce-{Nonce(context)}' 'wasm-unsafe-eval'; " +
                // Blazor and MudBlazor set style attributes and the theme's <style>; styles cannot run code.
                "style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; " +
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "SAMEORIGIN";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
