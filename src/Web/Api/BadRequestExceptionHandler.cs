using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace KeyProjects.Web.Api;

/// <summary>
/// A body that is not valid JSON, or a value of the wrong type, is a 400 ProblemDetails that names the field
/// (from the JSON path), never a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;

        var json = FindJsonException(bad);
        var field = json?.Path is { Length: > 0 } path ? path.TrimStart('$', '.') : "body";
        if (field.Length == 0) field = "body";
        var details = new ValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [json is null ? bad.Message : $"The value at '{json.Path}' could not be read: it is malformed or of the wrong type."],
        })
        {
            Status = bad.StatusCode,
            Title = "The request body could not be read.",
        };
        details.Extensions["code"] = "body.malformed";
        context.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is JsonException json) return json;
        return null;
    }
}
