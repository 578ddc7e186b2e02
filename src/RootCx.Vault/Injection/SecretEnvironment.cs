using System.Diagnostics;

namespace RootCx.Vault;

/// <summary>
/// The environment variables one backend gets from the vault, decrypted in memory. Apply it to the process you start,
/// then dispose it: disposing clears every decrypted buffer. <see cref="ToString"/> lists names only.
/// </summary>
public sealed class SecretEnvironment : IDisposable
{
    private readonly SecretBundle _app;
    private readonly SecretBundle? _platform;
    private readonly SecretValue[] _variables;

    internal SecretEnvironment(SecretBundle app, SecretBundle? platform, SecretValue[] variables, IReadOnlyList<string> conflicts)
    {
        _app = app;
        _platform = platform;
        _variables = variables;
        Conflicts = conflicts;
    }

    /// <summary>Gets the names of the variables <see cref="ApplyTo(IDictionary{string, string?})"/> sets.</summary>
    public IReadOnlyList<string> Names => [.. _variables.Select(v => v.Name)];

    /// <summary>Gets the secrets whose names are runtime-owned variables (see <see cref="SecretInjectionOptions"/>).</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>Sets the variables in a process's environment. Strings cannot be cleared: start the process right after.</summary>
    /// <param name="start">The process to start.</param>
    public void ApplyTo(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        ApplyTo(start.Environment);
    }

    /// <summary>Sets the variables in an environment dictionary.</summary>
    /// <param name="environment">The environment to set them in.</param>
    public void ApplyTo(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (SecretValue variable in _variables)
        {
            environment[variable.Name] = variable.RevealString();
        }
    }

    /// <summary>Clears every decrypted value.</summary>
    public void Dispose()
    {
        _app.Dispose();
        _platform?.Dispose();
    }

    /// <summary>Names the variables, never their values.</summary>
    /// <returns>For example <c>SecretEnvironment(API_KEY, DB_URL)</c>.</returns>
    public override string ToString() => $"SecretEnvironment({string.Join(", ", Names)})";
}
