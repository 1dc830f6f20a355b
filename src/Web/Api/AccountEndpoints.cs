using KeyProjects.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace KeyProjects.Web.Api;

public sealed record TokenRequest(string? UserName, string? Password);

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // API clients exchange a user name and password for a bearer token (lockout applies).
        app.MapPost("/api/auth/token", async (TokenRequest request, SignInManager<KeyProjectsUser> signIn) =>
            {
                if (string.IsNullOrWhiteSpace(request.UserName)) return ApiResults.Invalid("userName", "The user name is required.", "field.required");
                if (string.IsNullOrEmpty(request.Password)) return ApiResults.Invalid("password", "The password is required.", "field.required");
                signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
                var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
                if (result.Succeeded) return Results.Empty; // the bearer handler has written the token
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                    title: result.IsLockedOut ? "The account is locked out." : "The user name or password is wrong.",
                    extensions: new Dictionary<string, object?> { ["code"] = result.IsLockedOut ? "account.locked_out" : "account.bad_credentials" });
            })
            .AllowAnonymous().WithTags("Account").WithName("GetToken").WithSummary("Sign in and get a bearer token")
            .ProducesValidationProblem().ProducesProblem(401);

        // Signing out ends every copy of the session (a copied cookie, a bearer token, other devices): the security
        // stamp is renewed, and each copy is refused at its next check.
        app.MapPost("/account/logout", async (SignInManager<KeyProjectsUser> signIn, System.Security.Claims.ClaimsPrincipal user) =>
            {
                if (await signIn.UserManager.GetUserAsync(user) is { } account) await signIn.UserManager.UpdateSecurityStampAsync(account);
                await signIn.SignOutAsync();
                return Results.LocalRedirect("/login");
            })
            .RequireAuthorization().ExcludeFromDescription();

        return app;
    }
}
