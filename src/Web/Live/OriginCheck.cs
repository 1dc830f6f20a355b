namespace KeyProjects.Web.Live;

/// <summary>
/// Refuses hub requests from a browser page of another origin (cross-site WebSocket hijacking): a request with an
/// Origin header must come from this host itself or from <c>KeyProjects:WarRoom:AllowedOrigins</c>. Clients that send
/// no Origin (not browsers) still have to authenticate.
/// </summary>
public static class OriginCheck
{
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, string pathPrefix, IConfiguration configuration)
    {
        var allowed = (configuration.GetSection("KeyProjects:WarRoom:AllowedOrigins").Get<string[]>() ?? [])
            .Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(pathPrefix)
                && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
                && !IsAllowed(origin, context.Request, allowed))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new
                {
                    type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                    title = "Origin not allowed",
                    status = 403,
                    detail = $"The origin '{origin}' may not open the war-room hub.",
                    field = "Origin",
                }, options: null, contentType: "application/problem+json");
                return;
            }
            await next();
        });
    }

    private static bool IsAllowed(string origin, HttpRequest request, HashSet<string> allowed) =>
        allowed.Contains(origin.TrimEnd('/'))
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
}
