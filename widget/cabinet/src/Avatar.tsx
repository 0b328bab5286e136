import { avatarUrl, initials, type User } from "./api";
import { useSession } from "./state";

/** The user's photo, or their initials on the brand gradient. */
export function Avatar({ user, size = 36 }: { user: User; size?: number }) {
  const { avatarVersion } = useSession();
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={size !== 36 ? { width: size + "px", height: size + "px", fontSize: Math.round(size * 0.36) + "px" } : undefined}
    >
      {user.has_avatar ? <img src={avatarUrl(avatarVersion)} alt="" /> : initials(user)}
    </span>
  );
}
