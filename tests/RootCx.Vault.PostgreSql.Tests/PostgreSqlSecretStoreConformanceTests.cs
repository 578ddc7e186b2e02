using Dapper;
using Npgsql;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>
/// The conformance suite on a real PostgreSQL server, one fresh schema per test: in the server's default database,
/// and in a database whose default collation is Turkish, where upper('i') is 'İ', so names that differ only in case
/// would stop colliding if the store let the database's locale decide.
/// </summary>
[TestFixture(null)]
[TestFixture("tr-TR")]
public sealed class PostgreSqlSecretStoreConformanceTests(string? icuLocale) : SecretStoreConformanceTests
{
    private string _connectionString = null!;
    private string? _schema;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = PostgreSqlServer.ConnectionString;
        if (icuLocale is not null)
        {
            _connectionString = await PostgreSqlServer.CreateDatabaseAsync(icuLocale);
        }
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (icuLocale is not null && _connectionString is not null)
        {
            await PostgreSqlServer.DropDatabaseAsync(_connectionString);
        }
    }

    protected override ValueTask<ISecretStore> CreateStoreAsync()
    {
        _schema = PostgreSqlServer.NewSchemaName();
        return ValueTask.FromResult<ISecretStore>(new PostgreSqlSecretStore(_connectionString, new PostgreSqlSecretStoreOptions { SchemaName = _schema }, logger: null));
    }

    // Nobody listens on port 1: the connection is refused at once.
    protected override ISecretStore? CreateUnreachableStore() =>
        new PostgreSqlSecretStore("Host=127.0.0.1;Port=1;Username=nobody;Timeout=5", new PostgreSqlSecretStoreOptions { SchemaName = PostgreSqlServer.NewSchemaName() }, logger: null);

    protected override bool NotifiesOtherInstances => true;

    protected override ValueTask<ISecretStore?> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<ISecretStore?>(new PostgreSqlSecretStore(_connectionString, new PostgreSqlSecretStoreOptions { SchemaName = _schema! }, logger: null));

    protected override async ValueTask<IReadOnlyList<byte[]>> ReadRawStorageAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        IEnumerable<byte[]> rows = await connection.QueryAsync<byte[]>($"""
            SELECT convert_to(namespace || name || name_key, 'UTF8') || envelope FROM "{_schema}".secrets
            UNION ALL SELECT convert_to(namespace || name || name_key, 'UTF8') || envelope FROM "{_schema}".secret_history;
            """);
        return [.. rows];
    }

    protected override async ValueTask DeleteStoreAsync()
    {
        if (_schema is not null)
        {
            await PostgreSqlServer.DropSchemaAsync(_connectionString, _schema);
        }
    }
}
