"use client";

import { Search } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";

export function SearchBox({ initialQuery, error }: { initialQuery: string; error: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [value, setValue] = useState(initialQuery);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams(searchParams.toString());
    if (value.trim()) next.set("q", value.trim());
    else next.delete("q");
    router.push(`${pathname}?${next.toString()}`);
  }

  return (
    <form onSubmit={onSubmit} className="mb-4" role="search">
      <label className="relative block">
        <span className="sr-only">Search events</span>
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" aria-hidden />
        <input
          name="q"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder='Search: action:user.* -actor:bot "invoice"'
          aria-invalid={error ? true : undefined}
          className="block w-full rounded-lg border border-zinc-300 bg-white py-2 pr-3 pl-9 font-mono text-sm shadow-xs placeholder:font-sans placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
        />
      </label>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400" data-testid="query-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
