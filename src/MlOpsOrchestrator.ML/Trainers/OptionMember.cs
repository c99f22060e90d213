using System.Collections.Frozen;
using System.Reflection;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>One settable field or property of an ML.NET options class, under its snake_case YAML name.</summary>
internal sealed class OptionMember
{
    private readonly MemberInfo _member;

    public OptionMember(MemberInfo member, Type declaredType, OptionValueKind kind)
    {
        _member = member;
        Name = SnakeCase.FromPascal(member.Name);
        var underlying = Nullable.GetUnderlyingType(declaredType);
        ValueType = underlying ?? declaredType;
        AcceptsNull = underlying is not null || !declaredType.IsValueType;
        Kind = kind;
        EnumMembers = kind == OptionValueKind.Enum ? EnumLookup(ValueType) : FrozenDictionary<string, object>.Empty;
        IReadOnlyList<string>? enumValues = kind == OptionValueKind.Enum
            ? Array.AsReadOnly(Enum.GetNames(ValueType).Select(SnakeCase.FromPascal).Distinct(StringComparer.Ordinal).ToArray())
            : null;
        Option = new TrainerOption(Name, kind, enumValues);
    }

    /// <summary>The snake_case YAML name.</summary>
    public string Name { get; }

    /// <summary>The member's type with any <see cref="Nullable{T}"/> removed.</summary>
    public Type ValueType { get; }

    /// <summary>True when YAML <c>null</c> may be assigned (nullable value types and strings).</summary>
    public bool AcceptsNull { get; }

    public OptionValueKind Kind { get; }

    /// <summary>For enums, the enum value for each snake_case name.</summary>
    public FrozenDictionary<string, object> EnumMembers { get; }

    /// <summary>The Core-facing description of this option.</summary>
    public TrainerOption Option { get; }

    /// <summary>The ML.NET member name, for messages aimed at developers.</summary>
    public string MemberName => _member.Name;

    /// <summary>Assigns an already converted value; a throwing property setter surfaces as a <see cref="TargetInvocationException"/>.</summary>
    public void SetValue(object target, object? value)
    {
        switch (_member)
        {
            case FieldInfo field:
                field.SetValue(target, value);
                break;
            case PropertyInfo property:
                property.SetValue(target, value);
                break;
            default:
                throw new InvalidOperationException($"Unsupported member kind {_member.MemberType}.");
        }
    }

    private static FrozenDictionary<string, object> EnumLookup(Type enumType)
    {
        var lookup = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var name in Enum.GetNames(enumType))
        {
            lookup.TryAdd(SnakeCase.FromPascal(name), Enum.Parse(enumType, name));
        }

        return lookup.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
