export function EmptyState({ icon, title, children }: { icon?: React.ReactNode; title: string; children?: React.ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center px-6 py-14 text-center">
      {icon ? <div className="mb-3 rounded-full bg-muted p-3 text-fg-muted">{icon}</div> : null}
      <h3 className="text-sm font-semibold text-fg">{title}</h3>
      {children ? <div className="mt-1 max-w-sm text-sm text-fg-muted">{children}</div> : null}
    </div>
  );
}
