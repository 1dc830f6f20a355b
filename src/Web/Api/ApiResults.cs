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

    /// <summary>An uploaded file with bad cells: a 400 naming each ("第 5 行 · 总投资(万元)", "用户 · 第 3 行 · 角色"), nothing done.</summary>
    public static IResult InvalidRows(IReadOnlyList<Office.ImportError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(ErrorKey).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: $"{errors.Count} cells of the file are invalid; nothing was imported.",
            extensions: new Dictionary<string, object?> { ["code"] = "import.invalid_rows", ["rows"] = errors });

    /// <summary>The sheet (when the file has several), the row as the spreadsheet numbers it, and the column's header.</summary>
    private static string ErrorKey(Office.ImportError e) =>
        (e.Sheet is { } sheet ? sheet + " · " : "") + (e.Row == 0 ? e.Column : $"第 {e.Row} 行 · {e.Column}");

    public const int DefaultLimit = 50;

    /// <summary>Null when the paging parameters are fine, else a 400 naming the one that is not.</summary>
    public static IResult? Paging(int? offset, int? limit)
    {
        if (offset is < 0) return Invalid("offset", "The offset is 0 or more.", "paging.offset");
        if (limit is < 1 or > Silo.ReadModel.ReadModelQueries.MaxLimit)
            return Invalid("limit", $"The limit is 1 to {Silo.ReadModel.ReadModelQueries.MaxLimit}.", "paging.limit");
        return null;
    }

    /// <summary>Null when every enum filter given is one of its named values, else a 400 naming the first that is not.</summary>
    public static IResult? Known(params (string Field, Enum? Value)[] filters)
    {
        foreach (var (field, value) in filters)
            if (value is not null && !Enum.IsDefined(value.GetType(), value))
                return Invalid(field, $"'{value}' is not a known value of {field}.", "field.unknown_value");
        return null;
    }

    /// <summary>A read: 200 with the thing (or what <paramref name="ok"/> makes of it), else 403/404 saying why.</summary>
    public static IResult Read<T>(Services.Readable<T> read, Func<T, IResult>? ok = null) where T : class =>
        read.Value is { } value ? ok?.Invoke(value) ?? Results.Ok(value) : Rejected(read.Refused!);

    public static IResult NotFound(string code, string message) =>
        Problem(StatusCodes.Status404NotFound, CommandOutcome.NotFound(code, message));

    public static IResult Conflict(string code, string message) =>
        Problem(StatusCodes.Status409Conflict, CommandOutcome.Conflict(code, message));

    public static IResult Forbidden(string code, string message) =>
        Problem(StatusCodes.Status403Forbidden, CommandOutcome.Forbidden(code, message));

    /// <summary>
    /// Runs a command with the request's idempotency key: the result on success (200, or what onSuccess makes of it),
    /// else the rejection as ProblemDetails.
    /// </summary>
    public static async Task<IResult> Command<TView>(HttpContext http, Func<string, Task<ICommandResult<TView>>> run, Func<TView, IResult>? onSuccess = null)
    {
        var result = await run(IdempotencyKey.Read(http));
        if (!result.Outcome.Succeeded) return Rejected(result.Outcome);
        return onSuccess is null ? TypedResults.Ok(result.Value!) : onSuccess(result.Value!);
    }

    /// <summary>What every command answering TView can answer: TView, or 400/403/404/409 ProblemDetails.</summary>
    public static RouteHandlerBuilder ProducesCommandResults<TView>(this RouteHandlerBuilder endpoint, int successStatus = StatusCodes.Status200OK) =>
        endpoint.RequiresIdempotencyKey().Produces<TView>(successStatus).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static IResult Problem(int status, CommandOutcome outcome) =>
        TypedResults.Problem(statusCode: status, title: outcome.Message, detail: outcome.Message,
            extensions: new Dictionary<string, object?> { ["code"] = outcome.Code });
}
