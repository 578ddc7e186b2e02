using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RootCx.Vault.SampleHost.Api;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>How the sample maps the vault's exceptions, including the store failures a running host cannot provoke.</summary>
public class VaultProblemFilterTests
{
    [Test]
    public async Task A_store_failure_is_503_without_the_stores_message()
    {
        var failure = new SecretStoreException("The store db.internal:5432/vault could not complete the operation.", new IOException("connection reset"));

        ProblemHttpResult problem = await InvokeThrowingAsync(failure);

        Assert.Multiple(() =>
        {
            Assert.That(problem.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
            Assert.That(problem.ProblemDetails.Detail, Does.Not.Contain("db.internal"));
        });
    }

    [Test]
    public async Task Every_validation_kind_is_400_with_the_rule()
    {
        var invalid = Assert.Throws<SecretValidationException>(() => SecretName.Parse("1BAD"))!;

        ProblemHttpResult problem = await InvokeThrowingAsync(invalid);

        Assert.Multiple(() =>
        {
            Assert.That(problem.StatusCode, Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(problem.ProblemDetails.Title, Is.EqualTo("Invalid secret name"));
            Assert.That(problem.ProblemDetails.Detail, Is.EqualTo(invalid.Message));
        });
    }

    private static async Task<ProblemHttpResult> InvokeThrowingAsync(Exception exception)
    {
        var context = new DefaultEndpointFilterInvocationContext(new DefaultHttpContext());
        object? result = await new VaultProblemFilter().InvokeAsync(context, _ => throw exception);
        return (ProblemHttpResult)result!;
    }
}
