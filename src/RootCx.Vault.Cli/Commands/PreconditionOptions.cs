using System.CommandLine;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>--if-version N</c> (and, for set, <c>--create-only</c>): a write that goes ahead only if the secret is still what
/// the operator saw, so two people changing one secret cannot overwrite each other. A mismatch exits with 3.
/// </summary>
internal sealed class PreconditionOptions
{
    private readonly Option<long?> _ifVersion = new("--if-version")
    {
        Description = "Only if the secret is at this version (as list shows it); exits with 3 and changes nothing otherwise.",
    };

    private readonly Option<bool>? _createOnly;

    public PreconditionOptions(Command command, bool withCreateOnly)
    {
        command.Options.Add(_ifVersion);
        if (withCreateOnly)
        {
            _createOnly = new Option<bool>("--create-only") { Description = "Only if the secret does not exist yet; exits with 3 and changes nothing otherwise." };
            command.Options.Add(_createOnly);
        }
    }

    /// <exception cref="UsageException">Both options, or a version below 1.</exception>
    public SecretPrecondition Read(ParseResult parse)
    {
        long? version = parse.GetValue(_ifVersion);
        bool createOnly = _createOnly is not null && parse.GetValue(_createOnly);
        return (version, createOnly) switch
        {
            ({ }, true) => throw new UsageException("Give --if-version or --create-only, not both."),
            ({ } v, _) when v < 1 => throw new UsageException("--if-version takes a version of 1 or more, as list shows it."),
            ({ } v, _) => SecretPrecondition.IfVersion(v),
            (null, true) => SecretPrecondition.IfAbsent,
            _ => SecretPrecondition.None,
        };
    }
}
