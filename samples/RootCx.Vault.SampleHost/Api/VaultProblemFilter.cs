namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// Turns bad input into 400 (or 413) ProblemDetails naming the rule. The vault's messages never contain a value, so
/// they are safe to show; nothing was written when one of these is thrown.
/// </summary>
public sealed class VaultProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (Describe(ex) is (int status, string title))
        {
            return TypedResults.Problem(statusCode: status, title: title, detail: ex.Message);
        }
    }

    private static (int Status, string Title)? Describe(Exception exception) => exception switch
    {
        InvalidAppIdException => (StatusCodes.Status400BadRequest, "Invalid appId"),
        InvalidSecretNameException => (StatusCodes.Status400BadRequest, "Invalid secret name"),
        SecretValueTooLargeException => (StatusCodes.Status400BadRequest, "Secret value too large"),
        InvalidSecretValueException => (StatusCodes.Status400BadRequest, "Invalid secret value"),
        SecretValidationException => (StatusCodes.Status400BadRequest, "Invalid request"),
        BadBodyException => (StatusCodes.Status400BadRequest, "Invalid request body"),
        BodyTooLargeException => (StatusCodes.Status413PayloadTooLarge, "Request body too large"),
        _ => null,
    };
}
