namespace RootCx.Vault;

/// <summary>Configures the vault: its master key, history and deleted-secret retention, change polling. Validated once, at start-up.</summary>
public sealed class RootCxVaultOptions
{
    /// <summary>The number of versions a secret keeps when <see cref="MaxVersions"/> is not set: the current one and nine older.</summary>
    public const int DefaultMaxVersions = 10;

    /// <summary>The largest <see cref="MaxVersions"/> accepted.</summary>
    public const int MaxVersionsLimit = 100;

    /// <summary>The environment variable the master key is read from when <see cref="MasterKey"/> is not set.</summary>
    public const string MasterKeyEnvironmentVariable = "ROOTCX_MASTER_KEY";

    /// <summary>
    /// Gets or sets the active master key: 64 hexadecimal characters (32 bytes); surrounding white space is ignored.
    /// </summary>
    /// <value>The default value is the <c>ROOTCX_MASTER_KEY</c> environment variable when
    /// <see cref="ReadMasterKeyFromEnvironment"/> is on; when neither is set, the key comes from <see cref="KeyFilePath"/>.</value>
    public string? MasterKey { get; set; }

    /// <summary>
    /// Gets the previous master keys (64 hexadecimal characters each), which open envelopes but never seal new ones.
    /// Keep a key here until nothing sealed under it remains.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IList<string> PreviousMasterKeys { get; } = [];

    /// <summary>
    /// Gets or sets the key file used when no master key is configured. It is created on first boot, owner-only,
    /// unless the store already holds secrets (then start-up fails rather than generate a key over existing data).
    /// A relative path is resolved against the current directory.
    /// </summary>
    /// <value>The default value is <c>config/master.key</c>.</value>
    public string KeyFilePath { get; set; } = "config/master.key";

    /// <summary>
    /// Gets or sets how often the change feed asks the store whether another process or machine changed something.
    /// Stores that notify (PostgreSQL, the file system) report changes at once and polling is only their safety net;
    /// for the others (SQL Server) it is how changes are found. Each poll is one cheap change-version read.
    /// </summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets how long the change feed waits after it learns of a change (a write in this process, a store
    /// notification) before it checks, so a burst of writes fires each token once or a few times, not once per write.
    /// </summary>
    /// <value>The default value is 20 milliseconds.</value>
    public TimeSpan ChangeCoalescingDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Gets or sets whether <see cref="MasterKey"/> falls back to <c>ROOTCX_MASTER_KEY</c>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ReadMasterKeyFromEnvironment { get; set; } = true;

    /// <summary>
    /// Gets or sets how many versions of a secret are kept, the current one included: a set keeps the value it
    /// replaces as an older version (restorable, never readable), and the oldest go beyond this number. 1 keeps none.
    /// </summary>
    /// <value>The default value is 10 (<see cref="DefaultMaxVersions"/>); at most 100.</value>
    public int MaxVersions { get; set; } = DefaultMaxVersions;

    /// <summary>
    /// Gets or sets how long a deleted secret stays recoverable (with its history) before it is purged for good.
    /// <see cref="TimeSpan.Zero"/> purges at once on delete.
    /// </summary>
    /// <value>The default value is 7 days; at most 3650 days.</value>
    public TimeSpan DeletedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets or sets how often the hosted purge service (registered by <c>AddRootCxVault()</c>, running in a generic
    /// host) purges the deleted secrets whose <see cref="DeletedRetention"/> has passed.
    /// </summary>
    /// <value>The default value is 1 hour; at most 7 days.</value>
    public TimeSpan DeletedPurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
