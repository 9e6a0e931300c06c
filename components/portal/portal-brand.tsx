import Image from "next/image";
import { ArrowLeft } from "lucide-react";
import type { PortalHeader } from "@/lib/portal/header";

/** The vendor's logo and name in place of Orgtrail's, in the header of a portal session. */
export function PortalBrand({ portal, orgName }: { portal: PortalHeader; orgName: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2" data-testid="portal-brand">
      {portal.logoUrl ? (
        // The vendor's own image, as they host it: not resized through Next's image server.
        <Image src={portal.logoUrl} alt="" width={24} height={24} unoptimized className="size-6 rounded object-contain" />
      ) : (
        <span className="size-3 rounded-full" style={{ backgroundColor: portal.accentColor ?? "#4f46e5" }} aria-hidden />
      )}
      <span className="truncate font-semibold tracking-tight">{portal.vendorName}</span>
      <span className="text-zinc-300 dark:text-zinc-700" aria-hidden>
        /
      </span>
      <span className="truncate text-sm font-medium text-zinc-600 dark:text-zinc-300">{orgName}</span>
    </div>
  );
}

/** "Back to <vendor>": the return URL the vendor's link named, validated against its allowed origins when the link was made. */
export function PortalBackLink({ portal }: { portal: PortalHeader }) {
  if (!portal.returnUrl) return null;
  return (
    <a
      href={portal.returnUrl}
      target="_top"
      className="flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-white shadow-xs hover:opacity-90"
      style={{ backgroundColor: portal.accentColor ?? "#4f46e5" }}
      data-testid="portal-back"
    >
      <ArrowLeft className="size-4" aria-hidden /> Back to {portal.vendorName}
    </a>
  );
}
