using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Configurations;

internal sealed class ServiceCertificateConfiguration : IEntityTypeConfiguration<ServiceCertificate>
{
    public void Configure(EntityTypeBuilder<ServiceCertificate> builder)
    {
        builder.Ignore(c => c.IsRevoked);
        builder.HasIndex(c => new { c.UserId, c.IssuedAtUtc });
        // Issued certificates stay verifiable: neither the person nor the issuing node can be deleted from under them.
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<OrgNode>().WithMany().HasForeignKey(c => c.IssuedByOrgNodeId).OnDelete(DeleteBehavior.Restrict);
    }
}
