using System.Collections.Frozen;
using OzonActors.Returns;

namespace OzonActors.Gateway.Returns;

/// <summary>
/// A return request's words in Russian where the server writes them for people (the CSV report): the same words as the
/// pages' catalogue, wwwroot/i18n/ru.json (<c>returns.status.*</c>, <c>roles.*</c>, <c>returns.quality.*</c>); a
/// test keeps the two equal.
/// </summary>
public static class RussianReturnTexts
{
    public static IReadOnlyDictionary<ReturnStatus, string> Statuses { get; } = new Dictionary<ReturnStatus, string>
    {
        [ReturnStatus.New] = "Новая заявка",
        [ReturnStatus.AwaitingClarificationWithSeller] = "Ожидает уточнения у продавца",
        [ReturnStatus.PartialCompensationOffered] = "Предложена частичная компенсация",
        [ReturnStatus.AwaitingClarification] = "Ожидает решения продавца",
        [ReturnStatus.PartialCompensationApproved] = "Частичная компенсация одобрена",
        [ReturnStatus.Approved] = "Одобрена",
        [ReturnStatus.RejectedBySeller] = "Отклонена продавцом",
        [ReturnStatus.RejectedDisputeNotOpened] = "Отклонена. Спор не открыт",
        [ReturnStatus.Overdue] = "Просрочена",
        [ReturnStatus.CanceledByCustomer] = "Отменена покупателем",
        [ReturnStatus.CanceledDueToCustomerInaction] = "Отменена из-за бездействия покупателя",
        [ReturnStatus.DisputeOpened] = "Открыт спор",
        [ReturnStatus.RejectedByOzon] = "Отклонена Ozon",
        [ReturnStatus.ReturnOnTheWay] = "Возврат в пути",
        [ReturnStatus.ReceivedBySeller] = "Получен продавцом",
        [ReturnStatus.RejectedAfterReceipt] = "Отклонена после получения",
        [ReturnStatus.RejectedByMutualConsent] = "Отклонена по взаимному согласию",
        [ReturnStatus.Refund] = "Возврат денег",
    }.ToFrozenDictionary();

    /// <summary>Who acts next, or who recorded a change (the catalogue's <c>roles.*</c>).</summary>
    public static IReadOnlyDictionary<ReturnActorRole, string> Actors { get; } = new Dictionary<ReturnActorRole, string>
    {
        [ReturnActorRole.Customer] = "Покупатель",
        [ReturnActorRole.Seller] = "Продавец",
        [ReturnActorRole.Moderator] = "Модератор",
        [ReturnActorRole.Marketplace] = "Ozon",
        [ReturnActorRole.System] = "Система",
    }.ToFrozenDictionary();

    /// <summary>Who processes the request: the role of the same name.</summary>
    public static IReadOnlyDictionary<ReturnProcessor, string> Processors { get; } = Enum.GetValues<ReturnProcessor>()
        .ToFrozenDictionary(processor => processor, processor => Actors[Enum.Parse<ReturnActorRole>(processor.ToString())]);

    public static IReadOnlyDictionary<ReturnQuality, string> Qualities { get; } = new Dictionary<ReturnQuality, string>
    {
        [ReturnQuality.Proper] = "Надлежащее (передумал)",
        [ReturnQuality.Improper] = "Ненадлежащее (брак, не тот товар или повреждение)",
    }.ToFrozenDictionary();
}
