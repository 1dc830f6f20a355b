using KeyProjects.Grains.Domain;

namespace KeyProjects.Web.Api;

/// <summary>Maps a grain's outcome to HTTP: 400 names the field, 403/404/409 carry the rule that refused.</summary>
public static class ApiResults
{
    public static IResult Rejected(CommandOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.Invalid => Invalid(outcome.Field ?? "body", outcome.Message ?? "Invalid value.", outcome.Code),
        OutcomeKind.Forbidden => Problem(StatusCodes.Status403Forbidden, outcome),
        OutcomeKind.NotFound => Problem(StatusCodes.Status404NotFound, outcome),
        OutcomeKind.Conflict => Problem(StatusCodes.Status409Conflict, outcome),
        _ => throw new InvalidOperationException("An accepted outcome is not a rejection."),
    };

    public static IResult Invalid(string field, string message, string? code = null) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "One or more fields are invalid.",
            extensions: new Dictionary<string, object?> { ["code"] = code ?? "field.invalid" });

    public static IResult NotFound(string code, string message) =>
        Problem(StatusCodes.Status404NotFound, CommandOutcome.NotFound(code, message));

    public static IResult Forbidden(string code, string message) =>
        Problem(StatusCodes.Status403Forbidden, CommandOutcome.Forbidden(code, message));

    private static IResult Problem(int status, CommandOutcome outcome) =>
        TypedResults.Problem(statusCode: status, title: outcome.Message, detail: outcome.Message,
            extensions: new Dictionary<string, object?> { ["code"] = outcome.Code });
}
