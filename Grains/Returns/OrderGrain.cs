using Microsoft.Extensions.DependencyInjection;
using OzonActors.Returns;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.Returns;

/// <summary>
/// A delivered order, recorded once from the marketplace's systems, and what its returns hold of each line. Its row in
/// the customer's order list is written with it, so a customer sees an order the moment it is recorded.
/// </summary>
[GrainType("order")]
public sealed class OrderGrain([DurableState("order")] IDurableState<OrderState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<OrderState>(state, time), IOrderGrain
{
    public const string CustomerIndex = ReturnIndexes.CustomerOrders;

    /// <summary>How long a hold waits for its request to be written before the order asks the request whether it exists.</summary>
    public static readonly TimeSpan HoldConfirmWindow = TimeSpan.FromMinutes(1);

    private const string PendingHoldsReminder = "pending-holds";

    public async Task<bool> RecordAsync(DeliveredOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (State.Order is { } existing)
        {
            return Same(existing, order)
                ? false
                : throw DomainException.Conflict("order-conflict", $"Order '{order.OrderId}' was already recorded with different content.");
        }

        State.Order = order with { Lines = [.. order.Lines] };
        await CommitAsync();
        return true;
    }

    public Task<OrderView?> FindAsync() => Task.FromResult(State.Order is null ? null : View());

    public async Task<OrderView> ReserveReturnAsync(Guid returnId, Guid customerId, string lineId, int quantity)
    {
        var order = State.Order;
        if (order is null || order.CustomerId != customerId)
        {
            throw DomainException.NotFound("order-not-found", $"You have no delivered order '{GetPrimaryKeyString()}'.");
        }

        if (State.Holds.ContainsKey(returnId))
        {
            return View();
        }

        var line = order.Lines.FirstOrDefault(l => l.LineId == lineId)
            ?? throw DomainException.NotFound("order-line-not-found", $"Order '{order.OrderId}' has no line '{lineId}'.");
        var left = Returnable(line);
        if (quantity > left)
        {
            throw DomainException.Conflict("quantity-unavailable",
                $"Only {left} of line '{lineId}' can still be returned; {line.Quantity - left} already are in return requests.");
        }

        State.Holds[returnId] = new ReturnHold(lineId, quantity, TimeProvider.GetUtcNow() + HoldConfirmWindow);
        ScheduleHoldCheck();
        await CommitAsync();
        return View();
    }

    public async Task ConfirmReturnAsync(Guid returnId)
    {
        if (State.Holds.TryGetValue(returnId, out var hold) && hold.PendingUntil is not null)
        {
            State.Holds[returnId] = hold with { PendingUntil = null };
            ScheduleHoldCheck();
            await CommitAsync();
        }
    }

    /// <summary>
    /// A pending hold past its window: its request either was written (the confirmation was lost in a crash: keep it) or
    /// never will be (a failed or crashed creation: give the quantity back). One request's answer at a time; a failed
    /// call leaves the hold pending and the reminder ticks again.
    /// </summary>
    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        if (name != PendingHoldsReminder)
        {
            return;
        }

        var now = TimeProvider.GetUtcNow();
        foreach (var (returnId, hold) in State.Holds.Where(h => h.Value.PendingUntil <= now).ToList())
        {
            if (await GrainFactory.GetGrain<IReturnRequestGrain>(returnId).ExistsAsync())
            {
                State.Holds[returnId] = hold with { PendingUntil = null };
            }
            else
            {
                State.Holds.Remove(returnId);
            }
        }

        ScheduleHoldCheck();
        await CommitAsync();
    }

    private void ScheduleHoldCheck()
    {
        if (State.Holds.Values.Select(h => h.PendingUntil).Where(p => p is not null).Min() is { } next)
        {
            SetReminder(PendingHoldsReminder, next);
        }
        else
        {
            ClearReminder(PendingHoldsReminder);
        }
    }

    public async Task ReleaseReturnAsync(Guid returnId)
    {
        if (State.Holds.Remove(returnId))
        {
            ScheduleHoldCheck();
            await CommitAsync();
        }
    }

    private static bool Same(DeliveredOrder a, DeliveredOrder b) =>
        a.OrderId == b.OrderId && a.CustomerId == b.CustomerId && a.SellerId == b.SellerId && a.DeliveredAt == b.DeliveredAt
        && a.CrossBorder == b.CrossBorder && a.Lines.SequenceEqual(b.Lines);

    private int Returnable(OrderLine line) =>
        line.Quantity - State.Holds.Values.Where(h => h.LineId == line.LineId).Sum(h => h.Quantity);

    private OrderView View()
    {
        var order = State.Order!;
        return new OrderView(order.OrderId, order.CustomerId, order.SellerId, order.DeliveredAt, order.CrossBorder,
            [.. order.Lines.Select(l => new OrderLineView(
                l.LineId, l.ProductId, l.Name, l.Category, l.Price, l.Quantity, Returnable(l), l.TechnicallyComplex, l.WarrantyDays))]);
    }

    private Task CommitAsync()
    {
        var order = State.Order!;
        SetIndexEntry(CustomerIndex, order.CustomerId.ToString(), null, order.DeliveredAt, View());
        return WriteStateAsync();
    }
}
