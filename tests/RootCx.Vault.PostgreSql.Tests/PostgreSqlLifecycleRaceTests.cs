using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>
/// Sets, deletes, recoveries and purges of one name racing through two stores with pools of their own (two processes,
/// as the database sees them) under READ COMMITTED, where each statement reads the snapshot it started with while its
/// writes land on the newest rows.
/// </summary>
public class PostgreSqlLifecycleRaceTests
{
    private const int Writers = 6;
    private const int OperationsPerWriter = 120;
    private const int MaxVersions = 3;
    private static readonly SecretScope App = SecretScope.ForApp("raced");
    private static readonly SecretName Contested = SecretName.Parse("CONTESTED");
    private static readonly MasterKeyId Key = TestKeys.IdOf(TestKeys.Primary);

    [Test]
    public async Task Racing_sets_deletes_recoveries_and_purges_repeat_no_version_lose_no_set_and_keep_the_history_below_the_live_version()
    {
        string connectionString = PostgreSqlServer.ConnectionString;
        string schema = PostgreSqlServer.NewSchemaName();
        var options = new PostgreSqlSecretStoreOptions { SchemaName = schema };
        await using var first = new PostgreSqlSecretStore(connectionString, options, logger: null);
        await using var second = new PostgreSqlSecretStore(connectionString, options, logger: null);
        try
        {
            await TestKeys.RecordInAsync(first);
            var acknowledged = new ConcurrentDictionary<long, byte[]>();
            var violations = new ConcurrentQueue<string>();
            Task[] writers = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w % 2 == 0 ? first : second, new Random(w), acknowledged, violations)))];
            Task checking = Task.Run(async () =>
            {
                while (!writers.All(w => w.IsCompleted))
                {
                    await CheckAsync(connectionString, schema, acknowledged, violations);
                }
            });
            await Task.WhenAll([.. writers, checking]);

            StoredSecret? held = await HeldAsync(first);
            long[] versions = [.. acknowledged.Keys.Order()];
            StoredSecret final = await first.SetAsync(App, Contested, TestKeys.FakeEnvelope(Key), Key, DateTimeOffset.UtcNow, SecretPrecondition.None, MaxVersions);
            await CheckAsync(connectionString, schema, acknowledged, violations);
            Assert.Multiple(() =>
            {
                Assert.That(violations, Is.Empty);
                Assert.That(versions, Is.EqualTo(Enumerable.Range(1, versions.Length).Select(v => (long)v)), "every acknowledged set has a version of its own, one more than the one before");
                Assert.That(final.Version, Is.EqualTo(versions.Length + 1), "and the name's version continues from the last");
                if (held is not null)
                {
                    Assert.That((held.Version, held.Envelope.ToArray()), Is.EqualTo((versions[^1], acknowledged[versions[^1]])), "what is held (live or deleted) is the last acknowledged set");
                }
            });
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(connectionString, schema);
        }
    }

    private static async Task WriteAsync(PostgreSqlSecretStore store, Random random, ConcurrentDictionary<long, byte[]> acknowledged, ConcurrentQueue<string> violations)
    {
        for (int operation = 0; operation < OperationsPerWriter; operation++)
        {
            switch (random.Next(5))
            {
                case 0 or 1:
                    byte[] envelope = TestKeys.FakeEnvelope(Key);
                    StoredSecret written = await store.SetAsync(App, Contested, envelope, Key, DateTimeOffset.UtcNow, SecretPrecondition.None, MaxVersions);
                    if (!acknowledged.TryAdd(written.Version, envelope))
                    {
                        violations.Enqueue($"version {written.Version} acknowledged twice");
                    }

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
    /// is below the version held and holds the envelope its set was acknowledged with, and there are no more than the limit.
    /// </summary>
    private static async Task CheckAsync(string connectionString, string schema, ConcurrentDictionary<long, byte[]> acknowledged, ConcurrentQueue<string> violations)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        HistoryRow[] rows = [.. await connection.QueryAsync<HistoryRow>($"""
            SELECT s.version AS "Held", s.key_id IS NULL AS "Purged", h.version AS "Version", h.envelope AS "Envelope"
            FROM "{schema}".secrets s JOIN "{schema}".secret_history h USING (namespace, name_key);
            """)];
        if (rows.Length > MaxVersions - 1)
        {
            violations.Enqueue($"{rows.Length} older versions kept, above the limit");
        }

        foreach (HistoryRow row in rows)
        {
            if (row.Purged)
            {
                violations.Enqueue($"older version {row.Version} kept for a purged name");
            }

            if (row.Version >= row.Held)
            {
                violations.Enqueue($"older version {row.Version} beside version {row.Held}");
            }

            if (acknowledged.TryGetValue(row.Version, out byte[]? envelope) && !envelope.AsSpan().SequenceEqual(row.Envelope))
            {
                violations.Enqueue($"older version {row.Version} holds another set's envelope");
            }
        }
    }

    private static async Task<StoredSecret?> HeldAsync(PostgreSqlSecretStore store) =>
        await store.GetAsync(App, Contested) ?? (await store.ListDeletedAsync(App).ToArrayAsync()).SingleOrDefault()?.Secret;

    private sealed class HistoryRow
    {
        public long Held { get; set; }

        public bool Purged { get; set; }

        public long Version { get; set; }

        public byte[] Envelope { get; set; } = [];
    }
}
