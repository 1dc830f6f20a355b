using KeyProjects.Grains.Domain;

namespace KeyProjects.Web.Api;

/// <summary>
/// Commands take an <c>Idempotency-Key</c> header: a client that retries after a timeout sends the same key and
/// the command is applied once. Without the header each request is a new command.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public static bool TryRead(HttpContext context, out string key, out IResult? error)
    {
        error = null;
        var values = context.Request.Headers[Header];
        if (values.Count == 0)
        {
            key = Guid.NewGuid().ToString("N");
            return true;
        }
        key = values.ToString();
        if (values.Count > 1 || string.IsNullOrWhiteSpace(key) || key.Length > CommandId.MaxLength)
        {
            error = ApiResults.Invalid(Header, $"The {Header} header must be one value of 1 to {CommandId.MaxLength} characters.", "command.invalid_key");
            return false;
        }
        return true;
    }
}
