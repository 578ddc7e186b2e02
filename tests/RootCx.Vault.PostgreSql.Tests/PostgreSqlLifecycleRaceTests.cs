using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>
/// Sets, deletes, recoveries and purges of one name racing through two stores with pools of their own (two processes,
/// as the database sees them) under READ COMMITTED, where each statement reads the snapshot it started with while its
/// writes land on the newest rows. Every set has a timestamp of its own (a microsecond apart, PostgreSQL's precision),
/// so a secret's creation time names the set that created it.
/// </summary>
public class PostgreSqlLifecycleRaceTests
{
    private const int Writers = 6;
    private const int OperationsPerWriter = 120;
    private const int MaxVersions = 3;
    private static readonly SecretScope App = SecretScope.ForApp("raced");
    private static readonly SecretName Contested = SecretName.Parse("CONTESTED");
    private static readonly MasterKeyId Key = TestKeys.IdOf(TestKeys.Primary);

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static long _ticks;

    [Test]
    public async Task Racing_sets_deletes_recoveries_and_purges_repeat_no_version_lose_no_set_and_keep_exactly_the_newest_versions_of_each_secret_as_history()
    {
        string connectionString = PostgreSqlServer.ConnectionString;
        string schema = PostgreSqlServer.NewSchemaName();
        var options = new PostgreSqlSecretStoreOptions { SchemaName = schema };
        await using var first = new PostgreSqlSecretStore(connectionString, options, logger: null);
        await using var second = new PostgreSqlSecretStore(connectionString, options, logger: null);
        try
        {
            await TestKeys.RecordInAsync(first);
            var acknowledged = new Acknowledged();
            var violations = new ConcurrentQueue<string>();
            Task[] writers = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w % 2 == 0 ? first : second, new Random(w), acknowledged, violations)))];
            Task checking = Task.Run(async () =>
            {
                while (!writers.All(w => w.IsCompleted))
                {
                    await CheckAsync(connectionString, schema, acknowledged, violations, quiescent: false);
                }
            });
            await Task.WhenAll([.. writers, checking]);

            StoredSecret? held = await HeldAsync(first);
            long[] versions = [.. acknowledged.Envelopes.Keys.Order()];
            await CheckAsync(connectionString, schema, acknowledged, violations, quiescent: true);
            StoredSecret final = await SetAsync(first, acknowledged, violations);
            await CheckAsync(connectionString, schema, acknowledged, violations, quiescent: true);
            Assert.Multiple(() =>
            {
                Assert.That(violations, Is.Empty);
                Assert.That(versions, Is.EqualTo(Enumerable.Range(1, versions.Length).Select(v => (long)v)), "every acknowledged set has a version of its own, one more than the one before");
                Assert.That(final.Version, Is.EqualTo(versions.Length + 1), "and the name's version continues from the last");
                if (held is not null)
                {
                    Assert.That((held.Version, held.Envelope.ToArray()), Is.EqualTo((versions[^1], acknowledged.Envelopes[versions[^1]])), "what is held (live or deleted) is the last acknowledged set");
                }
            });
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(connectionString, schema);
        }
    }

    private static async Task<StoredSecret> SetAsync(PostgreSqlSecretStore store, Acknowledged acknowledged, ConcurrentQueue<string> violations)
    {
        byte[] envelope = TestKeys.FakeEnvelope(Key);
        DateTimeOffset timestamp = Epoch.AddTicks(10 * Interlocked.Increment(ref _ticks));
        StoredSecret written = await store.SetAsync(App, Contested, envelope, Key, timestamp, SecretPrecondition.None, MaxVersions);
        if (!acknowledged.Envelopes.TryAdd(written.Version, envelope))
        {
            violations.Enqueue($"version {written.Version} acknowledged twice");
        }

        acknowledged.VersionsByTimestamp[timestamp.UtcTicks] = written.Version;
        return written;
    }

    private static async Task WriteAsync(PostgreSqlSecretStore store, Random random, Acknowledged acknowledged, ConcurrentQueue<string> violations)
    {
        for (int operation = 0; operation < OperationsPerWriter; operation++)
        {
            switch (random.Next(5))
            {
                case 0 or 1:
                    await SetAsync(store, acknowledged, violations);
                    break;
                case 2:
                    await store.DeleteAsync(App, Contested, DateTimeOffset.UtcNow, SecretPrecondition.None);
                    break;
                case 3:
                    await store.RecoverAsync(App, Contested);
                    break;
                default:
                    await store.PurgeAsync(App, Contested);
                    break;
            }
        }
    }

    /// <summary>
    /// Reads the name's row and its older versions in one statement, so in one snapshot: a purged name keeps none, each
    /// is below the version held and holds the envelope its set was acknowledged with, and there are no more than the
    /// limit. A live or deleted secret's older versions are those of the secret it is (its creation time), never those
    /// of a deleted one a set replaced; and once the set that created it is acknowledged, they are exactly the newest
    /// MaxVersions - 1 versions it went through, every acknowledged set among them (when <paramref name="quiescent"/>,
    /// every set is acknowledged, so the check must run).
    /// </summary>
    private static async Task CheckAsync(string connectionString, string schema, Acknowledged acknowledged, ConcurrentQueue<string> violations, bool quiescent)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        HistoryRow[] rows = [.. await connection.QueryAsync<HistoryRow>($"""
            SELECT s.version AS "Held", s.key_id IS NULL AS "Purged", s.created_at AS "HeldCreatedAt",
                h.version AS "Version", h.envelope AS "Envelope", h.created_at AS "CreatedAt"
            FROM "{schema}".secrets s LEFT JOIN "{schema}".secret_history h USING (namespace, name_key);
            """)];
        if (rows.Length == 0)
        {
            return;
        }

        HistoryRow[] older = [.. rows.Where(r => r.Version is not null)];
        if (older.Length > MaxVersions - 1)
        {
            violations.Enqueue($"{older.Length} older versions kept, above the limit");
        }

        foreach (HistoryRow row in older)
        {
            if (row.Purged)
            {
                violations.Enqueue($"older version {row.Version} kept for a purged name");
            }

            if (row.Version >= row.Held)
            {
                violations.Enqueue($"older version {row.Version} beside version {row.Held}");
            }

            if (acknowledged.Envelopes.TryGetValue(row.Version!.Value, out byte[]? envelope) && !envelope.AsSpan().SequenceEqual(row.Envelope))
            {
                violations.Enqueue($"older version {row.Version} holds another set's envelope");
            }

            if (!row.Purged && row.CreatedAt != row.HeldCreatedAt)
            {
                violations.Enqueue($"older version {row.Version}, created {row.CreatedAt:O}, kept for version {row.Held}, a secret created {row.HeldCreatedAt:O}: a deleted secret's history outlived a set over it");
            }
        }

        HistoryRow held = rows[0];
        if (held.Purged)
        {
            return;
        }

        long heldCreatedAtTicks = new DateTimeOffset(DateTime.SpecifyKind(held.HeldCreatedAt, DateTimeKind.Utc)).UtcTicks;
        if (!acknowledged.VersionsByTimestamp.TryGetValue(heldCreatedAtTicks, out long created))
        {
            if (quiescent)
            {
                violations.Enqueue($"version {held.Held} was created at {held.HeldCreatedAt:O}, by no acknowledged set");
            }

            return;
        }

        long[] expected = [.. Enumerable.Range(0, MaxVersions - 1).Select(i => held.Held - 1 - i).Where(v => v >= created)];
        long[] kept = [.. older.Select(r => r.Version!.Value).OrderDescending()];
        if (!kept.SequenceEqual(expected))
        {
            violations.Enqueue($"version {held.Held} (created by version {created}) keeps older versions [{string.Join(", ", kept)}], not the newest [{string.Join(", ", expected)}]");
        }

        foreach (long missing in expected.Except(kept).Where(acknowledged.Envelopes.ContainsKey))
        {
            violations.Enqueue($"acknowledged set {missing} of version {held.Held} is missing from its history");
        }
    }

    private static async Task<StoredSecret?> HeldAsync(PostgreSqlSecretStore store) =>
        await store.GetAsync(App, Contested) ?? (await store.ListDeletedAsync(App).ToArrayAsync()).SingleOrDefault()?.Secret;

    private sealed class Acknowledged
    {
        public ConcurrentDictionary<long, byte[]> Envelopes { get; } = new();

        /// <summary>Each acknowledged set's version, by the UTC ticks of its timestamp.</summary>
        public ConcurrentDictionary<long, long> VersionsByTimestamp { get; } = new();
    }

    private sealed class HistoryRow
    {
        public long Held { get; set; }

        public bool Purged { get; set; }

        public DateTime HeldCreatedAt { get; set; }

        public long? Version { get; set; }

        public byte[] Envelope { get; set; } = [];

        public DateTime? CreatedAt { get; set; }
    }
}
