CREATE TABLE "title_engagement" (
	"title_id" integer PRIMARY KEY NOT NULL,
	"views" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collection_clicks" ADD COLUMN "click_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "title_views" ADD COLUMN "view_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "title_engagement" ADD CONSTRAINT "title_engagement_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_title_engagement_views" ON "title_engagement" USING btree ("views" DESC NULLS LAST,"title_id");--> statement-breakpoint
INSERT INTO "title_engagement" ("title_id", "views") SELECT "title_id", count(*) FROM "title_views" GROUP BY "title_id";