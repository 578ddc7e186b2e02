using System.Globalization;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// Where each file of a store lives (docs/FORMAT.md, "File system store, layout 3"). A scope's folder holds only its live
/// secrets' files, so reading and listing them costs the same whatever the history and deleted secrets held beside:
/// those go to its subfolders <c>history/</c> and <c>deleted/</c>. Every path segment comes from a validated
/// <see cref="SecretScope"/> or <see cref="SecretName"/> (the name upper-cased), so no input points outside the root.
/// </summary>
internal sealed class StoreLayout(string root)
{
    public const string SecretExtension = ".secret";
    public const string ChangesFile = "changes";
    private const string PurgedExtension = ".purged";
    private const string LegacyTombstoneExtension = ".deleted";

    public string Scopes { get; } = Path.Combine(root, "scopes");

    public string ScopeFolder(SecretScope scope) => Path.Combine(Scopes, scope.Namespace);

    public string DeletedFolder(SecretScope scope) => Path.Combine(ScopeFolder(scope), "deleted");

    public string HistoryFolder(SecretScope scope) => Path.Combine(ScopeFolder(scope), "history");

    public NamePaths Of(SecretScope scope, SecretName name) => Of(scope, FolderNameOf(name));

    /// <param name="scope">The scope.</param>
    /// <param name="fileName">The name as files spell it: upper-cased.</param>
    public NamePaths Of(SecretScope scope, string fileName) => new(
        Live: Path.Combine(ScopeFolder(scope), fileName + SecretExtension),
        Deleted: Path.Combine(DeletedFolder(scope), fileName + SecretExtension),
        Purged: Path.Combine(DeletedFolder(scope), fileName + PurgedExtension),
        LegacyTombstone: Path.Combine(ScopeFolder(scope), fileName + LegacyTombstoneExtension),
        HistoryFolder: Path.Combine(HistoryFolder(scope), fileName));

    /// <summary>The name a <c>.secret</c> file is for, as files spell it.</summary>
    public static string FileNameOf(string path) => Path.GetFileNameWithoutExtension(path);

    public static string FileNameOf(SecretName name) => FolderNameOf(name) + SecretExtension;

    /// <summary>The name as files and folders spell it: upper-cased, so names are unique ignoring case on every file system.</summary>
    public static string FolderNameOf(SecretName name) => name.Value.ToUpperInvariant();

    /// <summary>The version a history entry's file name says, or <see langword="null"/> for a file that is no history entry.</summary>
    public static long? VersionOfHistoryEntry(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        return Path.GetExtension(path) == SecretExtension
            && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long version)
            && Format(version) == name
                ? version
                : null;
    }

    public static string HistoryEntryName(long version) => Format(version) + SecretExtension;

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The files of one name in its scope.</summary>
/// <param name="Live">The live secret: <c>scopes/&lt;ns&gt;/&lt;NAME&gt;.secret</c>.</param>
/// <param name="Deleted">The deleted secret, kept until it is recovered, set again or purged: <c>deleted/&lt;NAME&gt;.secret</c>.</param>
/// <param name="Purged">The version a purged secret had: <c>deleted/&lt;NAME&gt;.purged</c>.</param>
/// <param name="LegacyTombstone">The version a secret deleted by layout 2 had: <c>scopes/&lt;ns&gt;/&lt;NAME&gt;.deleted</c>, read, never written.</param>
/// <param name="HistoryFolder">The older versions: <c>history/&lt;NAME&gt;/&lt;version&gt;.secret</c>.</param>
internal sealed record NamePaths(string Live, string Deleted, string Purged, string LegacyTombstone, string HistoryFolder)
{
    public string HistoryEntry(long version) => Path.Combine(HistoryFolder, StoreLayout.HistoryEntryName(version));
}
