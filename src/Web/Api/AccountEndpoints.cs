using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Api;

public sealed record TokenRequest(string? UserName, string? Password);

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // API clients exchange a user name and password for a bearer token (lockout applies).
        // Every failure reads the same (an unknown name, a wrong password, a locked account): see SignInGuard.
        app.MapPost("/api/auth/token", async (TokenRequest request, SignInGuard guard) =>
            {
                if (string.IsNullOrWhiteSpace(request.UserName)) return ApiResults.Invalid("userName", "The user name is required.", "field.required");
                if (string.IsNullOrEmpty(request.Password)) return ApiResults.Invalid("password", "The password is required.", "field.required");
                if (await guard.SignIn(request.UserName, request.Password, persistent: false, IdentityConstants.BearerScheme))
                    return Results.Empty; // the bearer handler has written the token
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                    title: "The user name or password is wrong, or the account is locked for a while.",
                    extensions: new Dictionary<string, object?> { ["code"] = "account.bad_credentials" });
            })
            .AllowAnonymous().WithTags("Account").WithName("GetToken").WithSummary("Sign in and get a bearer token")
            .ProducesValidationProblem().ProducesProblem(401);

        // Signing out ends every copy of the session (a copied cookie, a bearer token, other devices): the security
        // stamp is renewed, and each copy is refused at its next check.
        app.MapPost("/account/logout", async (SignInManager<KeyProjectsUser> signIn, System.Security.Claims.ClaimsPrincipal user, AuditLog audit) =>
            {
                if (await signIn.UserManager.GetUserAsync(user) is { } account)
                {
                    await signIn.UserManager.UpdateSecurityStampAsync(account);
                    await audit.SignOut(account.UserName ?? "");
                }
                await signIn.SignOutAsync();
                return Results.LocalRedirect("/login");
            })
            .RequireAuthorization().ExcludeFromDescription();

        // A page's keep-alive while someone uses it (wwwroot/session.js): the cookie's check at this request records the
        // use (SessionActivity); an idle or ended session is refused here like any request.
        app.MapPost("/account/keep-alive", () => Results.NoContent())
            .RequireAuthorization().DisableAntiforgery().ExcludeFromDescription();

        return app;
    }
}
