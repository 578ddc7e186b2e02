using System.CommandLine;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// The <c>APP [NAME] | --platform [NAME]</c> choice that set, list and delete share. Positional arguments fill in
/// order, so with <c>--platform</c> the one given is the name.
/// </summary>
internal sealed class ScopeSelection
{
    private readonly Argument<string> _app = new("APP") { Description = "The app id (left out with --platform).", Arity = ArgumentArity.ZeroOrOne };
    private readonly Argument<string> _name = new("NAME") { Description = "The secret's name, an environment variable name.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<bool> _platform = new("--platform") { Description = $"The platform scope ({SecretScope.PlatformNamespace}) instead of an app." };
    private readonly bool _withName;

    public ScopeSelection(Command command, bool withName)
    {
        _withName = withName;
        command.Arguments.Add(_app);
        if (withName)
        {
            command.Arguments.Add(_name);
        }

        command.Options.Add(_platform);
    }

    /// <summary>Reads the scope, and the name when the command takes one.</summary>
    /// <exception cref="UsageException">The wrong number of arguments for the choice.</exception>
    /// <exception cref="SecretValidationException">The app id is malformed.</exception>
    public (SecretScope Scope, string Name) Read(ParseResult parse)
    {
        string[] given = [.. new[] { parse.GetValue(_app), parse.GetValue(_name) }.OfType<string>()];
        bool platform = parse.GetValue(_platform);
        int expected = (platform ? 0 : 1) + (_withName ? 1 : 0);
        if (given.Length != expected)
        {
            string usage = _withName ? "APP NAME, or --platform NAME" : "APP, or --platform";
            throw new UsageException($"Expected {usage}.");
        }

        SecretScope scope = platform ? SecretScope.Platform : SecretScope.ForApp(given[0]);
        return (scope, _withName ? given[^1] : "");
    }
}
