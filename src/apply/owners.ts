/**
 * User and group names resolved against the target root's /etc/passwd and /etc/group, as a chroot would: the
 * image's users, not the build machine's.
 *
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import { under } from "./root.ts";

export interface Ids {
  uid: number;
  gid: number;
}

/** Resolves names to ids once per apply. */
export class OwnerResolver {
  #users?: Map<string, Ids>;
  #groups?: Map<string, number>;

  constructor(readonly root: string) {}

  resolve(owner = "root", group?: string): Ids {
    if (owner === "root" && (group === undefined || group === "root")) return { uid: 0, gid: 0 };
    this.#users ??= this.#read("/etc/passwd", (f) => [f[0], { uid: Number(f[2]), gid: Number(f[3]) }]);
    this.#groups ??= this.#read("/etc/group", (f) => [f[0], Number(f[2])]);
    const user = this.#users.get(owner);
    if (!user) {
      throw new EnvironmentError(
        `user ${owner} does not exist in ${under(this.root, "/etc/passwd")}`,
        "install the package that creates it, or build the image with it",
      );
    }
    const gid = group === undefined ? user.gid : this.#groups.get(group);
    if (gid === undefined) {
      throw new EnvironmentError(`group ${group} does not exist in ${under(this.root, "/etc/group")}`);
    }
    return { uid: user.uid, gid };
  }

  #read<T>(path: string, entry: (fields: string[]) => [string, T]): Map<string, T> {
    let text = "";
    try {
      text = Deno.readTextFileSync(under(this.root, path));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return new Map(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => entry(l.split(":"))));
  }
}
