using OzonActors.Gateway.OzonId;
using OzonActors.Gateway.Referral;
using OzonActors.Gateway.Returns;
using OzonActors.Gateway.StarProducts;

// The front door: REST API, live events and web pages, co-hosting a silo.
var builder = WebApplication.CreateBuilder(args);
builder.AddOzonSilo();
builder.AddOzonId();
builder.AddGatewayApi();
builder.AddGatewayAuth();
builder.AddLiveEvents();
builder.Services.AddSingleton<Sessions>();

var app = builder.Build();
app.UseGatewayPipeline();
app.MapHealthEndpoints();
app.MapAuthApi();
app.MapMeApi();
app.MapCompanyApi();
app.MapDevApi();
app.MapOrdersApi();
app.MapReturnsApi();
app.MapReturnListsApi();
app.MapStarProductsApi();
app.MapReferralApi();
app.MapLiveEvents();
app.Run();

/// <summary>The entry point, visible to end-to-end tests.</summary>
public partial class Program;
