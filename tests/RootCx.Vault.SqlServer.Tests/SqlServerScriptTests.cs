using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer.Tests;

/// <summary>Checks that run without a server: the T-SQL parses, names are escaped once, secrets stay out of ToString.</summary>
public class SqlServerScriptTests
{
    private static IEnumerable<TestCaseData> Scripts()
    {
        var commands = new SqlServerCommands(SqlServerSchema.Quote("rootcx_vault"));
        string install = SqlServerSchema.InstallScript("rootcx_vault");
        yield return new TestCaseData(install).SetName("install script");

        // What the install script runs through EXEC (so that it compiles against an older schema) is a string literal
        // to the parser: each is parsed on its own.
        int executed = 0;
        foreach (Match exec in Regex.Matches(install, @"EXEC \(N'((?:[^']|'')*)'\)"))
        {
            yield return new TestCaseData(exec.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)).SetName($"install script EXEC {++executed}");
        }

        // Every statement the store has, so that one added later is parsed too.
        foreach (PropertyInfo statement in typeof(ISqlStoreCommands).GetInterfaces().Prepend(typeof(ISqlStoreCommands)).SelectMany(i => i.GetProperties()).Where(p => p.PropertyType == typeof(string)))
        {
            yield return new TestCaseData((string)statement.GetValue(commands)!).SetName(statement.Name);
        }

        var audit = new SqlServerAuditCommands(SqlServerSchema.Quote("rootcx_vault"));
        foreach (PropertyInfo statement in typeof(SqlServerAuditCommands).GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            yield return new TestCaseData((string)statement.GetValue(audit)!).SetName("audit " + statement.Name);
        }
    }

    [TestCaseSource(nameof(Scripts))]
    public void The_t_sql_parses(string script)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out IList<ParseError> errors);

        Assert.That(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"), Is.Empty);
        Assert.That(script, Does.Not.Contain("{{"), "every placeholder is replaced");
    }

    [Test]
    public void The_install_script_refuses_a_schema_newer_than_it_knows_before_changing_anything()
    {
        string install = SqlServerSchema.InstallScript("rootcx_vault");
        int refusal = install.IndexOf($"THROW {SqlServerCommands.NewerSchema}, @newer", StringComparison.Ordinal);
        string[] changes = ["CREATE SCHEMA", "CREATE TABLE", "ALTER TABLE", "INSERT INTO", "UPDATE ", "DROP "];

        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.GreaterThan(install.IndexOf("sp_getapplock", StringComparison.Ordinal)), "under the install lock");
            Assert.That(changes.Select(c => (c, install.IndexOf(c, StringComparison.Ordinal))), Has.All.Matches<(string, int)>(c => c.Item2 > refusal), "before the first change");
            Assert.That(install, Does.Contain("IF @found > 4"));
            Assert.That(install, Does.Contain("N'schema version ', @found, N' is newer than this build knows (4); upgrade RootCx.Vault'"));
        });
    }

    [TestCase("rootcx_vault")]
    [TestCase("_Vault2")]
    public void Valid_schema_names_are_bracket_quoted(string name) =>
        Assert.That(SqlServerSchema.Quote(name), Is.EqualTo($"[{name}]"));

    [TestCase("")]
    [TestCase("bad]name")]
    [TestCase("dbo; DROP TABLE x")]
    [TestCase("1st")]
    [TestCase("with space")]
    public void Other_schema_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => SqlServerSchema.Quote(name));

    [Test]
    public void A_schema_install_that_failed_is_tried_again_on_the_next_call()
    {
        // Nothing listens on port 1: the install fails fast, as it would while a database is still starting.
        var store = new SqlServerSecretStore("Server=tcp:127.0.0.1,1;Database=vault;Connect Timeout=2;ConnectRetryCount=0;Encrypt=false");

        var first = Assert.ThrowsAsync<SecretStoreException>(async () => await store.GetChangeVersionAsync());
        var second = Assert.ThrowsAsync<SecretStoreException>(async () => await store.GetChangeVersionAsync());

        Assert.That(first!.InnerException, Is.InstanceOf<Microsoft.Data.SqlClient.SqlException>());
        Assert.That(second!.InnerException, Is.InstanceOf<Microsoft.Data.SqlClient.SqlException>().And.Not.SameAs(first.InnerException), "a second attempt, not the first failure replayed");
    }


    [Test]
    public void ToString_names_server_and_database_but_never_the_credentials()
    {
        var store = new SqlServerSecretStore("Server=db01;Database=vault;User Id=rootcx;Password=hunter2-secret;TrustServerCertificate=true");
        Assert.That(store.ToString(), Is.EqualTo("SqlServerSecretStore(db01@vault)"));
    }
}
