using System;
using System.Linq;
using IdentityGuard.Scrubbing;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// A new held value must be found at once without rebuilding the matcher over every other value; forgetting or
/// extending a value needs no rebuild either. Each test checks both what is found and which tier was rebuilt.
/// </summary>
public sealed class HeldTiersTests
{
    private const string Marker = CredentialScrubber.Marker;

    [Fact]
    public void A_value_added_after_the_first_scrub_is_found_at_once_without_rebuilding_the_main_tier()
    {
        var fixture = new ScrubberFixture();
        var early = Enumerable.Range(0, 40).Select(_ => fixture.Hold()).ToArray();
        var main = fixture.Held.GetSnapshot().Main;

        var late = fixture.Hold();

        Assert.Equal("t=" + Marker, fixture.Scrubber.Scrub("t=" + late));
        Assert.Same(main, fixture.Held.GetSnapshot().Main);
        Assert.Equal(Marker, fixture.Scrubber.Scrub(early[17]));
    }

    [Fact]
    public void Values_added_one_by_one_beyond_the_small_tier_are_folded_in_and_all_stay_found()
    {
        var fixture = new ScrubberFixture();
        var values = new string[300];
        var folds = 0;
        var main = fixture.Held.GetSnapshot().Main;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = fixture.Hold("P" + (i % 5));
            Assert.Equal(Marker, fixture.Scrubber.Scrub(values[i]));
            var snapshot = fixture.Held.GetSnapshot();
            Assert.True(snapshot.Recent.NeedleCount <= HeldCredentials.RecentTierLimit + 7);
            if (!ReferenceEquals(snapshot.Main, main))
            {
                folds++;
                main = snapshot.Main;
            }
        }

        // Folds happen, but far fewer than additions: most values only rebuilt the small tier.
        Assert.InRange(folds, 2, values.Length / 4);
        Assert.All(values, value => Assert.Equal("[" + Marker + "]", fixture.Scrubber.Scrub("[" + value + "]")));
    }

    [Fact]
    public void A_value_forgotten_because_the_store_is_full_is_no_longer_found_and_comes_back_when_held_again()
    {
        var fixture = new ScrubberFixture(capacity: 3);
        var soonest = fixture.Hold(lifetime: TimeSpan.FromMinutes(5));
        fixture.Hold();
        fixture.Hold();
        Assert.Equal(Marker, fixture.Scrubber.Scrub(soonest));
        var main = fixture.Held.GetSnapshot().Main;

        fixture.Hold(); // evicts the one closest to expiry, which sits in the main tier

        Assert.Equal(soonest, fixture.Scrubber.Scrub(soonest));
        Assert.Same(main, fixture.Held.GetSnapshot().Main);

        fixture.Held.Remember(soonest, "Reports", fixture.Time.GetUtcNow().AddHours(2));

        Assert.Equal(Marker, fixture.Scrubber.Scrub(soonest));
    }

    [Fact]
    public void An_expiry_extended_before_it_passed_keeps_the_value_found()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold(lifetime: TimeSpan.FromMinutes(5));
        var other = fixture.Hold(lifetime: TimeSpan.FromMinutes(5));
        Assert.Equal(Marker, fixture.Scrubber.Scrub(token));
        var snapshot = fixture.Held.GetSnapshot();

        fixture.Held.Remember(token, "Reports", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(Marker, fixture.Scrubber.Scrub(token));
        Assert.Equal(other, fixture.Scrubber.Scrub(other));
        Assert.Equal(1, fixture.Held.Count);
        Assert.Same(snapshot, fixture.Held.GetSnapshot());
    }

    [Fact]
    public void A_new_provider_for_a_held_value_is_named_in_the_next_audit_event()
    {
        var fixture = new ScrubberFixture();
        var token = fixture.Hold("Reports");
        fixture.Scrubber.Scrub(token);

        fixture.Held.Remember(token, "Crm", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Scrubber.Scrub(token);

        Assert.Equal(["Reports", "Crm"], fixture.Trail.Events.Select(e => e.Provider));
    }

    [Fact]
    public void A_search_string_two_values_share_stays_found_when_one_of_them_is_forgotten()
    {
        // The second value is the base64 of the first: the first's encoded form and the second's own form coincide.
        var fixture = new ScrubberFixture(capacity: 2);
        var first = ScrubberFixture.OpaqueToken()[..39]; // a multiple of 3: its base64 has no partial edge
        var second = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(first));
        fixture.Held.Remember(first, "A", fixture.Time.GetUtcNow().AddMinutes(5));
        fixture.Held.Remember(second, "B", fixture.Time.GetUtcNow().AddHours(1));
        Assert.Equal(Marker, fixture.Scrubber.Scrub(second));
        Assert.Equal("A", fixture.Trail.Events[^1].Provider);

        fixture.Hold(); // forgets the first

        Assert.Equal(Marker, fixture.Scrubber.Scrub(second));
        Assert.Equal("B", fixture.Trail.Events[^1].Provider);
    }
}
