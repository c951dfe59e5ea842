using System.Text.Json.Serialization;

namespace Switchboard.Providers;

[JsonSerializable(typeof(string))]
internal sealed partial class ResolutionJsonContext : JsonSerializerContext;
