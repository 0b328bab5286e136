// Line icons (24×24, stroke = currentColor), decorative only.
import type { ComponentChildren } from "preact";

function Svg({ children, size = 20 }: { children: ComponentChildren; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const Logo = ({ size = 36 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="9" fill="currentColor" />
    <path
      d="M24.5 15.3a7.8 7.8 0 0 1-8.4 7.7 8.7 8.7 0 0 1-3.3-.6L7.5 24l1.7-4.6a7.4 7.4 0 0 1-1.7-4.1A7.8 7.8 0 0 1 16 7.6a7.8 7.8 0 0 1 8.5 7.7z"
      fill="#fff"
    />
  </svg>
);

export const IconDashboard = () => (
  <Svg>
    <rect x="3" y="3" width="7.5" height="9" rx="2" />
    <rect x="13.5" y="3" width="7.5" height="5" rx="2" />
    <rect x="13.5" y="11" width="7.5" height="10" rx="2" />
    <rect x="3" y="15" width="7.5" height="6" rx="2" />
  </Svg>
);

export const IconJournal = () => (
  <Svg>
    <path d="M6 3h10l4 4v14H6a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" />
    <path d="M8 10h8M8 14h8M8 18h5" />
  </Svg>
);

export const IconAnalytics = () => (
  <Svg>
    <path d="M4 20h16" />
    <path d="M7 16v-5M12 16V6M17 16v-8" />
  </Svg>
);

export const IconStar = () => (
  <Svg>
    <path d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z" />
  </Svg>
);

export const IconDialogs = () => (
  <Svg>
    <path d="M20 12.5a7 7 0 0 1-7.5 6.9 8 8 0 0 1-3-.6L5 20l1.5-3.7A6.6 6.6 0 0 1 5 12.5a7 7 0 0 1 7.5-6.9 7 7 0 0 1 7.5 6.9z" />
    <path d="M9.5 12.5h.01M12.5 12.5h.01M15.5 12.5h.01" />
  </Svg>
);

export const IconSettings = () => (
  <Svg>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
  </Svg>
);

export const IconLogout = () => (
  <Svg size={18}>
    <path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9" />
  </Svg>
);

export const IconEye = ({ off }: { off?: boolean }) => (
  <Svg size={18}>
    <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
    {off && <path d="M3 3l18 18" />}
  </Svg>
);

export const IconAlert = () => (
  <Svg size={18}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7.5v5M12 16h.01" />
  </Svg>
);

export const IconCheck = () => (
  <Svg size={18}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12.5l2.7 2.7L16 10" />
  </Svg>
);

export const IconClose = () => (
  <Svg size={18}>
    <path d="M6 6l12 12M18 6L6 18" />
  </Svg>
);

export const IconMenu = () => (
  <Svg>
    <path d="M4 6h16M4 12h16M4 18h16" />
  </Svg>
);
export const IconCopy = () => (
  <Svg size={16}>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
  </Svg>
);

export const IconLock = () => (
  <Svg>
    <rect x="4.5" y="10.5" width="15" height="10" rx="2" />
    <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
  </Svg>
);

export const IconPlus = ({ size = 18 }: { size?: number }) => (
  <Svg size={size}>
    <path d="M12 5v14M5 12h14" />
  </Svg>
);

export const IconTrash = () => (
  <Svg size={17}>
    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </Svg>
);

export const IconEdit = () => (
  <Svg size={17}>
    <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4z" />
    <path d="M13.5 6.5l4 4" />
  </Svg>
);

export const IconSearch = () => (
  <Svg size={17}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M20 20l-4.2-4.2" />
  </Svg>
);

export const IconChevron = () => (
  <Svg size={16}>
    <path d="M7 10l5 5 5-5" />
  </Svg>
);

export const IconCamera = () => (
  <Svg size={18}>
    <path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z" />
    <circle cx="12" cy="13.5" r="3.5" />
  </Svg>
);

export const IconCrown = () => (
  <Svg size={17}>
    <path d="M4 18h16M5 15L3.5 7l5 4L12 5l3.5 6 5-4L19 15H5z" />
  </Svg>
);

export const IconInfo = () => (
  <Svg size={15}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11v5.5M12 7.5h.01" />
  </Svg>
);

export const IconFolder = () => (
  <Svg size={18}>
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7z" />
  </Svg>
);

export const IconWallet = () => (
  <Svg>
    <path d="M4 7a2 2 0 0 1 2-2h11v4" />
    <rect x="4" y="7" width="16" height="12" rx="2" />
    <path d="M16 13h.01" />
  </Svg>
);

export const IconClock = ({ size = 16 }: { size?: number }) => (
  <Svg size={size}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </Svg>
);

export const IconSend = () => (
  <Svg size={18}>
    <path d="M4 12l16-8-6 16-2.5-6.5L4 12z" />
    <path d="M11.5 13.5L20 4" />
  </Svg>
);

export const IconGlobe = ({ size = 16 }: { size?: number }) => (
  <Svg size={size}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M3.5 12h17M12 3.5c2.5 2.4 3.6 5.3 3.6 8.5s-1.1 6.1-3.6 8.5c-2.5-2.4-3.6-5.3-3.6-8.5s1.1-6.1 3.6-8.5z" />
  </Svg>
);

export const IconArchive = () => (
  <Svg size={17}>
    <rect x="3.5" y="4" width="17" height="4.5" rx="1.2" />
    <path d="M5 8.5V18a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8.5M10 12.5h4" />
  </Svg>
);

export const IconReopen = () => (
  <Svg size={17}>
    <path d="M4 12a8 8 0 1 0 2.4-5.7L4 8.5" />
    <path d="M4 4v4.5h4.5" />
  </Svg>
);

export const IconUser = ({ size = 18 }: { size?: number }) => (
  <Svg size={size}>
    <circle cx="12" cy="8.5" r="3.8" />
    <path d="M4.5 20a7.5 7.5 0 0 1 15 0" />
  </Svg>
);

export const IconArrowUp = () => (
  <Svg size={16}>
    <path d="M12 19V5M6 11l6-6 6 6" />
  </Svg>
);

export const IconArrowDown = () => (
  <Svg size={16}>
    <path d="M12 5v14M6 13l6 6 6-6" />
  </Svg>
);

export const IconBack = () => (
  <Svg size={18}>
    <path d="M15 5l-7 7 7 7" />
  </Svg>
);

export const IconPhone = ({ size = 16 }: { size?: number }) => (
  <Svg size={size}>
    <path d="M5 4h3.5l1.7 4.3-2.2 1.4a11 11 0 0 0 6.3 6.3l1.4-2.2L20 15.5V19a1.5 1.5 0 0 1-1.6 1.5A16.5 16.5 0 0 1 3.5 5.6 1.5 1.5 0 0 1 5 4z" />
  </Svg>
);

export const IconForm = ({ size = 16 }: { size?: number }) => (
  <Svg size={size}>
    <rect x="4.5" y="3.5" width="15" height="17" rx="2" />
    <path d="M8 8.5h8M8 12.5h8M8 16.5h5" />
  </Svg>
);

export const IconPin = ({ size = 16 }: { size?: number }) => (
  <Svg size={size}>
    <path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z" />
    <circle cx="12" cy="10" r="2.4" />
  </Svg>
);

export const IconHook = ({ size = 20 }: { size?: number }) => (
  <Svg size={size}>
    <path d="M12 3v10.5a4 4 0 1 1-8 0V12" />
    <path d="M9.5 5.5L12 3l2.5 2.5" />
    <path d="M16 9h4M18 7v4" />
  </Svg>
);
