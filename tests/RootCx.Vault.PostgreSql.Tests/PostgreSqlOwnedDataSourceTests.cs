using Dapper;
using Npgsql;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>The pool a store makes from a connection string prepares its statements, unless the string says otherwise.</summary>
public class PostgreSqlOwnedDataSourceTests
{
    [Test]
    public void Statements_are_prepared_when_the_connection_string_does_not_say() =>
        Assert.That(MaxAutoPrepareOf("Host=db01;Database=vault"), Is.EqualTo(PostgreSqlOwnedDataSource.MaxAutoPrepare));

    [TestCase("Host=db01;Max Auto Prepare=0", 0)]
    [TestCase("Host=db01;MaxAutoPrepare=0", 0)]
    [TestCase("Host=db01;max auto prepare=3", 3)]
    public void A_connection_string_that_sets_max_auto_prepare_is_followed(string connectionString, int expected) =>
        Assert.That(MaxAutoPrepareOf(connectionString), Is.EqualTo(expected));

    [Test]
    public async Task A_set_is_prepared_after_a_few_calls_on_one_connection()
    {
        string connectionString = new NpgsqlConnectionStringBuilder(PostgreSqlServer.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        string schema = PostgreSqlServer.NewSchemaName();
        await using var store = new PostgreSqlSecretStore(connectionString, new PostgreSqlSecretStoreOptions { SchemaName = schema }, logger: null);
        try
        {
            await TestKeys.RecordInAsync(store);
            MasterKeyId key = TestKeys.IdOf(TestKeys.Primary);
            StoredSecret? set = null;
            for (int i = 0; i < 8; i++)
            {
                set = await store.SetAsync(SecretScope.ForApp("shop"), SecretName.Parse("API_KEY"), TestKeys.FakeEnvelope(key), key, DateTimeOffset.UtcNow, SecretPrecondition.None, maxVersions: 3);
            }

            long prepared = await store.RunAsync(
                connection => connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%secret_history%';"),
                CancellationToken.None);
            Assert.That((set!.Version, prepared), Is.EqualTo((8L, 1L)), "the one pooled connection keeps the set prepared");
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(PostgreSqlServer.ConnectionString, schema);
        }
    }

    private static int MaxAutoPrepareOf(string connectionString)
    {
        using NpgsqlDataSource dataSource = PostgreSqlOwnedDataSource.Create(connectionString);
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare;
    }
}
