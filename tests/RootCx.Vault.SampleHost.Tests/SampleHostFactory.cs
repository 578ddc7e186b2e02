using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>
/// The sample host on its own data folder with a known API key, every log line captured; on the file system store, or
/// on PostgreSQL in a schema of its own (dropped on dispose) when given a connection string.
/// </summary>
public sealed class SampleHostFactory(string? postgreSqlConnectionString = null) : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-admin-key-2b7c9e";

    private readonly string _schema = $"rcx_{Guid.NewGuid():N}";

    /// <summary>Gets the PostgreSQL schema the host uses (when it runs on PostgreSQL).</summary>
    public string Schema => _schema;

    public string DataPath { get; } = Directory.CreateTempSubdirectory("rootcx-host-").FullName;

    public ConcurrentQueue<string> Logs { get; } = new();

    public HttpClient CreateAdminClient()
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Vault:DataPath", DataPath);
        builder.UseSetting("Admin:ApiKey", ApiKey);
        if (postgreSqlConnectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Vault", postgreSqlConnectionString);
            builder.UseSetting("Vault:Schema", _schema);
        }

        // Every level of every category, whatever appsettings.json filters for the console.
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(Logs))
            .AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataPath))
        {
            Directory.Delete(DataPath, recursive: true);
        }

        if (disposing && postgreSqlConnectionString is not null)
        {
            using var connection = new Npgsql.NpgsqlConnection(postgreSqlConnectionString);
            Dapper.SqlMapper.Execute(connection, $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;");
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
