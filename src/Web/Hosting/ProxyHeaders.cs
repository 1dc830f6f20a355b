using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace KeyProjects.Web.Hosting;

/// <summary>
/// Behind a TLS reverse proxy (nginx on the 政务云): the scheme, host and client address the proxy forwards
/// (X-Forwarded-Proto/-Host/-For) are taken as the request's, so redirects, the hub's Origin check and HSTS use the
/// public https address. Only from trusted proxies: loopback, plus <c>KeyProjects:ForwardedHeaders:KnownProxies</c>
/// (comma-separated addresses).
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var text in (configuration["KeyProjects:ForwardedHeaders:KnownProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                o.KnownProxies.Add(IPAddress.TryParse(text, out var address)
                    ? address
                    : throw new InvalidOperationException($"KeyProjects:ForwardedHeaders:KnownProxies: '{text}' is not an IP address."));
        });
}
