namespace MlOpsOrchestrator.Specs;

/// <summary>How a CSV source's bytes are text. UTF-8 is strict: bytes that are not UTF-8 are an error, never guessed.</summary>
public enum SourceEncoding
{
    Utf8,
    Latin1,
    Windows1252,
}
