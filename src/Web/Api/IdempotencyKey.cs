using System.Security.Cryptography;
using KeyProjects.Grains.Domain;
using KeyProjects.Silo.Commands;
using KeyProjects.Web.Identity;

namespace KeyProjects.Web.Api;

/// <summary>Marks an endpoint as a command: it requires an <c>Idempotency-Key</c> header.</summary>
public sealed class IdempotentCommand
{
    public static readonly IdempotentCommand Instance = new();
}

/// <summary>
/// Commands take an <c>Idempotency-Key</c> header: a client that retries after a timeout sends the same key and
/// the command is applied once. A command without the header is refused (400); the same key sent again with another
/// request is refused (409 <c>command.key_reused</c>), unless the first was refused (a refused command changed
/// nothing, so its key is free again). Keys are kept 7 days.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    private const int MaxBody = 1 << 20;

    /// <summary>Declares the endpoint a command: the header is required, and declared in the OpenAPI document.</summary>
    public static RouteHandlerBuilder RequiresIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(IdempotentCommand.Instance).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = Header,
                In = Microsoft.OpenApi.ParameterLocation.Header,
                Required = true,
                Description = "A key of 1 to 100 characters chosen by the client for this command; send the same key when retrying it.",
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, MaxLength = CommandId.MaxLength },
            });
            return Task.CompletedTask;
        });

    /// <summary>The key of a command request (the middleware has checked it is there and well-formed).</summary>
    public static string Read(HttpContext context) => context.Request.Headers[Header].ToString();

    /// <summary>Checks every command request's key before the endpoint runs (after authentication and authorisation).</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IdempotentCommand>() is null)
        {
            await next(http);
            return;
        }
        var values = http.Request.Headers[Header];
        if (values.Count == 0)
        {
            await ApiResults.Invalid(Header, $"Commands need an {Header} header: a key of 1 to {CommandId.MaxLength} characters, the same when retrying.", "command.key_required").ExecuteAsync(http);
            return;
        }
        var key = values.ToString();
        if (values.Count > 1 || string.IsNullOrWhiteSpace(key) || key.Length > CommandId.MaxLength)
        {
            await ApiResults.Invalid(Header, $"The {Header} header must be one value of 1 to {CommandId.MaxLength} characters.", "command.invalid_key").ExecuteAsync(http);
            return;
        }

        var keys = http.RequestServices.GetRequiredService<CommandKeyStore>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var user = http.User.ToActor().UserName;
        var claim = await keys.Claim(user, key, await Fingerprint(http), clock.GetUtcNow());
        if (claim == KeyClaim.Reused)
        {
            await ApiResults.Conflict("command.key_reused", "This idempotency key was already used for another request.").ExecuteAsync(http);
            return;
        }
        await next(http);
        // A command its first time refused (400, 403, 404, 409) changed nothing: its key may carry the corrected request.
        if (claim == KeyClaim.New && http.Response.StatusCode is >= 400 and < 500) await keys.Forget(user, key);
    });

    /// <summary>
    /// What makes two requests the same command: method, path, query and body. A multipart body (an upload) counts by
    /// its parts — each part's headers and content —, not by the boundary a client draws afresh for every request, so
    /// a retried upload is the same command.
    /// </summary>
    private static async Task<string> Fingerprint(HttpContext http)
    {
        http.Request.EnableBuffering(MaxBody);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method}\n{http.Request.Path}\n{http.Request.QueryString}\n"));
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media)
            && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(media.Boundary) is { Length: > 0 } boundary)
        {
            var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary.ToString(), http.Request.Body);
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{section.ContentDisposition}\n{section.ContentType}\n"));
                await Append(hash, section.Body);
            }
        }
        else await Append(hash, http.Request.Body);
        http.Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task Append(IncrementalHash hash, Stream content)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await content.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, read);
    }
}
