using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace KeyProjects.Web.Hosting;

/// <summary>
/// Sign-in attempts (the sign-in page's form and the token endpoint) are limited per client address:
/// <c>KeyProjects:SignIn:AttemptsPerMinute</c> (default 20), then 429 with a Retry-After. Nothing else is limited.
/// This keeps an anonymous client from guessing passwords or locking accounts at speed.
/// </summary>
public static class SignInLimits
{
    public static IServiceCollection AddSignInLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("KeyProjects:SignIn:AttemptsPerMinute", 20);
        if (perMinute < 1) throw new InvalidOperationException("KeyProjects:SignIn:AttemptsPerMinute must be at least 1.");
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts; wait a minute.",
                    extensions: new Dictionary<string, object?> { ["code"] = "signin.rate_limited" }).ExecuteAsync(context.HttpContext);
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsSignIn(http.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("other"));
        });
    }

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) &&
        (request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase) || request.Path.Equals("/api/auth/token", StringComparison.OrdinalIgnoreCase));
}
