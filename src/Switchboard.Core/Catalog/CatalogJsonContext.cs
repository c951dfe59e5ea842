using System.Text.Json.Serialization;

namespace Switchboard.Catalog;

[JsonSerializable(typeof(CatalogFile))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
