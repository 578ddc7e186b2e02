namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// Turns the vault's errors into ProblemDetails: bad input is 400 (or 413 for a body too large to read) naming the
/// rule, a conditional write refused because the secret changed meanwhile is 412, a store that cannot be reached is 503. The vault's messages never contain a value, so validation messages
/// are shown; a store's message may name hosts or paths, so it is not. Anything else (a master key that does not match
/// fails start-up before any request) stays a 500.
/// </summary>
public sealed class VaultProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (Describe(ex) is (int status, string title, string detail))
        {
            return TypedResults.Problem(statusCode: status, title: title, detail: detail);
        }
    }

    private static (int Status, string Title, string Detail)? Describe(Exception exception) => exception switch
    {
        SecretValidationException invalid => (StatusCodes.Status400BadRequest, Title(invalid.Kind), invalid.Message),
        SecretConflictException conflict => (StatusCodes.Status412PreconditionFailed, "Secret changed meanwhile", conflict.Message),
        BadPreconditionException => (StatusCodes.Status400BadRequest, "Invalid precondition header", exception.Message),
        BadVersionException => (StatusCodes.Status400BadRequest, "Invalid version", exception.Message),
        SecretStoreException => (StatusCodes.Status503ServiceUnavailable, "Secret store unavailable", "The secret store could not be reached or refused the operation; try again later."),
        BadBodyException => (StatusCodes.Status400BadRequest, "Invalid request body", exception.Message),
        BodyTooLargeException => (StatusCodes.Status413PayloadTooLarge, "Request body too large", exception.Message),
        _ => null,
    };

    private static string Title(SecretValidationKind kind) => kind switch
    {
        SecretValidationKind.InvalidAppId => "Invalid appId",
        SecretValidationKind.InvalidSecretName => "Invalid secret name",
        SecretValidationKind.SecretValueTooLarge => "Secret value too large",
        SecretValidationKind.InvalidSecretValue => "Invalid secret value",
        _ => "Invalid request",
    };
}
