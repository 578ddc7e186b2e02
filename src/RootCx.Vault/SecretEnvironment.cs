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

    /// <summary>
    /// Sets the variables in a process's environment. Strings cannot be cleared: start the process right after, and
    /// see <see cref="StartProcess"/>, which also drops them from the start info the process keeps.
    /// </summary>
    /// <param name="start">The process to start.</param>
    public void ApplyTo(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        ApplyTo(start.Environment);
    }

    /// <summary>
    /// Starts a process with the variables, then removes them from <paramref name="start"/>: a <see cref="Process"/>
    /// keeps its <see cref="Process.StartInfo"/> for as long as it lives, and with it every value set there.
    /// Prefer this to <see cref="ApplyTo(ProcessStartInfo)"/> followed by <see cref="Process.Start(ProcessStartInfo)"/>.
    /// </summary>
    /// <param name="start">The process to start.</param>
    /// <returns>The started process.</returns>
    public Process StartProcess(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        ApplyTo(start);
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("The process did not start.");
        }
        finally
        {
            foreach (SecretValue variable in _variables)
            {
                start.Environment.Remove(variable.Name);
            }
        }
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
