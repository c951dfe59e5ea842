using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchboard.Chat;
using Switchboard.Routing;

namespace Switchboard.Benchmarks;

/// <summary>
/// The prompt analysis a <c>complexity</c> route runs on every request: a realistic ~4 KB OpenAI chat request (a
/// system prompt, an earlier exchange, and a design question with code, a numbered list and two tools), analysed in
/// one pass. The request scan every request already pays for is measured on the same body, for scale.
/// </summary>
[MemoryDiagnoser]
public class ComplexityBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = DesignRequest();
        // Prove the body is what the benchmark says before timing it.
        var analysis = PromptAnalyzer.Analyze(_body);
        if (_body.Length is < 3800 or > 4400) throw new InvalidOperationException($"the request should be about 4 KB, not {_body.Length} bytes");
        if (analysis.Complexity < 7) throw new InvalidOperationException($"the design request should score high, not {analysis.Complexity}");
        Console.WriteLine($"// request body: {_body.Length} bytes; {analysis.EstimatedTokens} tokens, complexity {analysis.Complexity}: {string.Join("; ", analysis.Reasons)}");
    }

    [Benchmark]
    public PromptAnalysis Analyze() => PromptAnalyzer.Analyze(_body);

    /// <summary><see cref="ChatRequestScanner"/> on the same body: what one validating pass costs anyway.</summary>
    [Benchmark(Baseline = true)]
    public object Scan() => ChatRequestScanner.Scan(_body);

    private static byte[] DesignRequest()
    {
        const string system = "You are a senior backend engineer reviewing designs for a team that runs a busy online shop. "
            + "Be concrete, name the trade-offs you make, and prefer boring technology the team already runs (PostgreSQL, Redis, "
            + "RabbitMQ, .NET). When you show code, keep it short and compilable.";
        const string task = """
            Our order service has outgrown its single PostgreSQL database. At peak we take about 1,800 orders a minute and the
            payment step times out, because every order locks its customer row while it talks to the payment provider.
            Design a distributed version of the order flow that keeps payments exactly-once, and walk me through the
            trade-offs. Then give a migration plan we can run without downtime.

            Some numbers: the orders table has 240 million rows and grows by 3 million a week; stock lives in the same
            database, in a table of 90,000 rows that every order updates; payments average 900 ms at the provider and
            reach 6 seconds at the 99th percentile. We run three instances of the service behind a load balancer, one
            primary and two replicas, and we already use RabbitMQ for e-mails and invoices.

            1. Describe the target architecture: which services, which data each one owns, and how they talk.
            2. Show how the order aggregate is split, with code for the new repository and the payment handler.
            3. Explain how you avoid concurrency bugs between the stock reservation and the payment.
            4. Finally list the security and fault tolerance concerns, and what we should monitor.

            The current repository:
            ```csharp
            public sealed class OrderRepository(NpgsqlDataSource db)
            {
                public async Task<Order?> Find(Guid id, CancellationToken ct)
                {
                    await using var command = db.CreateCommand("select id, customer_id, state, total from orders where id = $1 for update");
                    command.Parameters.AddWithValue(id);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    return await reader.ReadAsync(ct) ? new Order(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetDecimal(3)) : null;
                }

                public async Task Save(Order order, CancellationToken ct)
                {
                    await using var command = db.CreateCommand("update orders set state = $2, total = $3 where id = $1");
                    command.Parameters.AddWithValue(order.Id);
                    command.Parameters.AddWithValue(order.State);
                    command.Parameters.AddWithValue(order.Total);
                    await command.ExecuteNonQueryAsync(ct);
                }
            }
            ```
            And the handler that calls it, which is where the time goes:
            ```csharp
            public async Task Handle(PayOrder command, CancellationToken ct)
            {
                var order = await repository.Find(command.OrderId, ct) ?? throw new OrderNotFound(command.OrderId);
                var receipt = await payments.Charge(order.CustomerId, order.Total, idempotencyKey: order.Id.ToString(), ct);
                order.MarkPaid(receipt);
                await repository.Save(order, ct);
            }
            ```
            Please be comprehensive: this will go to the architecture review next week.
            """;
        var json = new StringBuilder("{\"model\":\"gpt-5\",\"messages\":[")
            .Append("{\"role\":\"system\",\"content\":").Append(JsonSerializer.Serialize(system)).Append("},")
            .Append("{\"role\":\"user\",\"content\":\"Can you help me with our order service?\"},")
            .Append("{\"role\":\"assistant\",\"content\":\"Of course. To give you a useful answer I need to know how the service is built today: ")
            .Append("which database and queues it uses, how many orders you take at peak, where the time goes when it is slow, ")
            .Append("and what must never go wrong, for example charging a customer twice or selling stock you do not have. ")
            .Append("Paste the code of the hot path too, if you can.\"},")
            .Append("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":").Append(JsonSerializer.Serialize(task)).Append("}]}],")
            .Append("\"tools\":[")
            .Append("{\"type\":\"function\",\"function\":{\"name\":\"search_code\",\"description\":\"Searches the order service's repository.\",")
            .Append("\"parameters\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}},\"required\":[\"query\"]}}},")
            .Append("{\"type\":\"function\",\"function\":{\"name\":\"read_metrics\",\"description\":\"Reads a metric of the last 24 hours.\",")
            .Append("\"parameters\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}}}],")
            .Append("\"max_completion_tokens\":8000,\"temperature\":0.2}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
