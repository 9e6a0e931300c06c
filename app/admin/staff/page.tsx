import type { Metadata } from "next";
import { RelativeTime } from "@/components/admin/relative-time";
import { InviteStaffButton, RemoveStaffButton, ResendLinkButton, StaffRoleSelect } from "@/components/admin/staff-forms";
import { Badge, Card, PageHeader, tableClass, tdClass, thClass } from "@/components/admin/ui";
import { listStaff } from "@/lib/admin/staff";
import { STAFF_ROLES } from "@/lib/admin/staff-roles";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";

export const metadata: Metadata = { title: "Staff" };

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();

export default async function StaffPage() {
  const user = await requireVendorAdmin("staff.manage");
  const staff = await listStaff();
  const admins = staff.filter((member) => member.role === "vendor_admin").length;
  return (
    <>
      <PageHeader
        title="Staff"
        description="Your company's people in Orgtrail. Every change here is recorded in the vendor audit log, and there is always at least one vendor admin."
        actions={<InviteStaffButton />}
      />
      <Card>
        <table className={tableClass} data-testid="staff-table">
          <thead className="border-b border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900">
            <tr>
              <th className={thClass}>Person</th>
              <th className={thClass}>Role</th>
              <th className={thClass}>Last sign-in</th>
              <th className={thClass}>Added</th>
              <th className={thClass}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {staff.map((member) => {
              const isSelf = member.id === user.userId;
              return (
                <tr key={member.id} data-testid={`staff-${member.email}`} className="align-top hover:bg-zinc-50/60 dark:hover:bg-zinc-900/60">
                  <td className={tdClass}>
                    <div className="flex items-center gap-3">
                      <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">{initials(member.name) || "?"}</span>
                      <div className="min-w-0">
                        <div className="flex flex-wrap items-center gap-1.5 font-medium">
                          {member.name}
                          {isSelf ? <Badge>You</Badge> : null}
                          {member.role === "vendor_admin" && admins === 1 ? <Badge tone="indigo">last admin</Badge> : null}
                        </div>
                        <div className="truncate text-xs text-zinc-500">{member.email}</div>
                      </div>
                    </div>
                  </td>
                  <td className={tdClass}>
                    <StaffRoleSelect member={member} isSelf={isSelf} />
                  </td>
                  <td className={`${tdClass} text-zinc-600 dark:text-zinc-300`}>
                    {member.pending ? <Badge tone="amber">invitation pending</Badge> : <RelativeTime iso={member.lastSignInAt} empty="No sign-in recorded" />}
                  </td>
                  <td className={`${tdClass} text-zinc-600 dark:text-zinc-300`}>
                    <RelativeTime iso={member.createdAt} />
                  </td>
                  <td className={`${tdClass} text-right`}>
                    <div className="flex justify-end gap-1">
                      {member.pending ? <ResendLinkButton member={member} /> : null}
                      <RemoveStaffButton member={member} isSelf={isSelf} />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
      <dl className="mt-6 grid gap-4 text-sm sm:grid-cols-2">
        {STAFF_ROLES.map((option) => (
          <div key={option.role}>
            <dt className="font-medium">{option.label}</dt>
            <dd className="mt-0.5 text-zinc-500 dark:text-zinc-400">{option.description}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
