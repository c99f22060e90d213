using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Storage.Keys;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// The data-protection key ring of a PostgreSQL cluster, in the database: any <c>serve</c> validates an antiforgery
/// token or cookie another one issued, and no node needs a shared <c>keys</c> folder. Resolves the storage when ASP.NET
/// Core first reads the ring (after the host has started and opened it), not when the host is composed.
/// </summary>
internal sealed class DatabaseXmlRepository(StorageHandle storage) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => [.. Table.GetAll().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        Table.Store(string.IsNullOrWhiteSpace(friendlyName) ? $"key-{Guid.NewGuid():N}" : friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }

    private DataProtectionKeyTable Table => storage.Storage.DataProtectionKeys
        ?? throw new InvalidOperationException("data-protection keys live in the database only in PostgreSQL mode; the embedded mode keeps them in home/keys");
}
