namespace KeyProjects.Web.Hosting;

/// <summary>
/// Response headers a security review (等保 2.0) asks for: no MIME sniffing, no framing by other sites, no referrer
/// sent off-site, no browser features the app does not use; HSTS when the request came over HTTPS (behind a TLS proxy
/// once forwarded headers are applied).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The pages' content security policy: scripts, styles, images, fonts and connections (the live circuit, the hub) from
    /// this site only; no plug-ins, no framing, forms posted here only. Inline styles are allowed (Radzen's components and
    /// the pages set style attributes); inline scripts are not (the pages have none).
    /// </summary>
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

    /// <summary>For the bundled tools with pages of their own (the Orleans Dashboard, the API reference): no framing, no plug-ins.</summary>
    public const string ToolPolicy = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/dashboard") || http.Request.Path.StartsWithSegments("/scalar")
            ? ToolPolicy : PagePolicy;
        if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
        return next(http);
    });
}
