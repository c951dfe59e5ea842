using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Switchboard.Gateway.Jobs;

/// <summary>Source-generated JSON for the bodies the job workers send.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JobJsonContext : JsonSerializerContext;
