namespace RootCx.Vault.Runtime;

/// <summary>What the runtime runs (section <c>Runtime</c>).</summary>
public sealed class RuntimeOptions
{
    /// <summary>Gets the apps to start one backend for.</summary>
    public IList<string> Apps { get; } = [];

    /// <summary>Gets or sets the backend program: a .dll run with <c>dotnet</c>, or an executable.</summary>
    public string WorkerPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "RootCx.Vault.Worker.dll");

    /// <summary>Gets or sets how long a backend has to stop after its stdin closes before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
