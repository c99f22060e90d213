using System.Reflection;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>
/// Finds the members of an ML.NET options class that make sense in YAML: public instance fields and settable
/// properties of a plain type (integer, floating point, boolean, text, enum, or a nullable of those), minus the
/// column-name members, which the product sets itself from the data spec.
/// </summary>
internal static class OptionReflector
{
    private const BindingFlags PublicInstance = BindingFlags.Public | BindingFlags.Instance;

    public static IReadOnlyList<OptionMember> Discover(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var members = new List<OptionMember>();
        foreach (var field in optionsType.GetFields(PublicInstance))
        {
            if (!field.IsInitOnly && !field.IsLiteral)
            {
                AddIfPlain(members, field, field.FieldType);
            }
        }

        foreach (var property in optionsType.GetProperties(PublicInstance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                AddIfPlain(members, property, property.PropertyType);
            }
        }

        var duplicate = members.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"{optionsType.FullName} has several members named '{duplicate.Key}' in snake_case: "
                + string.Join(", ", duplicate.Select(m => m.MemberName)) + ".");
        }

        return members;
    }

    /// <summary>The YAML kind for a member type, or null when the type has no place in YAML.</summary>
    public static OptionValueKind? KindOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var core = Nullable.GetUnderlyingType(type) ?? type;
        if (core.IsEnum)
        {
            return OptionValueKind.Enum;
        }

        return Type.GetTypeCode(core) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => OptionValueKind.Integer,
            TypeCode.Single or TypeCode.Double => OptionValueKind.Float,
            TypeCode.Boolean => OptionValueKind.Boolean,
            TypeCode.String => OptionValueKind.Text,
            _ => null,
        };
    }

    private static void AddIfPlain(List<OptionMember> members, MemberInfo member, Type type)
    {
        if (member.Name.EndsWith("ColumnName", StringComparison.Ordinal) || member.IsDefined(typeof(ObsoleteAttribute)))
        {
            return;
        }

        if (KindOf(type) is { } kind)
        {
            members.Add(new OptionMember(member, type, kind));
        }
    }
}
